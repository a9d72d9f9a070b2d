<?php

namespace Fruitcake\Cors;

use Closure;
use Illuminate\Contracts\Config\Repository as Config;
use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\Response;

/**
 * Stands in for fruitcake/laravel-cors 2.x (and the asm89/stack-cors service it
 * wraps), which the stock app/Http/Kernel.php lists as a global middleware and
 * Debian does not package. It reads config/cors.php on each request, with the
 * same keys and the same rules as that package:
 *
 * - only requests whose path matches `paths` (Request::is / fullUrlIs; a key
 *   named after the request's host may hold that host's own list) are handled;
 * - a preflight (OPTIONS with Access-Control-Request-Method) is answered here
 *   with 204 and Allow-Origin/-Credentials/-Methods/-Headers/Max-Age;
 * - any other matching response gets Allow-Origin, Allow-Credentials and
 *   Expose-Headers unless it already has an Access-Control-Allow-Origin;
 * - `allowed_origins` may hold '*' (any origin: "*" is sent, unless
 *   credentials are supported, then the request's origin is echoed), exact
 *   origins, or wildcards like 'https://*.example.com'; `allowed_origins_patterns`
 *   holds regular expressions; `Vary: Origin` is set whenever the answer depends
 *   on the request's origin.
 *
 * Not reproduced: the package's service provider (it publishes its config and,
 * as a fallback, adds headers on RequestHandled to responses that bypassed the
 * middleware); config/cors.php already exists in the app.
 */
class HandleCors
{
    /** @var \Illuminate\Contracts\Config\Repository */
    protected $config;

    public function __construct(Config $config)
    {
        $this->config = $config;
    }

    public function handle($request, Closure $next)
    {
        if (! $this->isMatchingPath($request)) {
            return $next($request);
        }

        $options = $this->options();

        if ($request->getMethod() === 'OPTIONS' && $request->headers->has('Access-Control-Request-Method')) {
            $response = new Response('', 204);
            $this->addPreflightHeaders($options, $response, $request);
            $this->vary($response, 'Access-Control-Request-Method');

            return $response;
        }

        $response = $next($request);

        if ($request->getMethod() === 'OPTIONS') {
            $this->vary($response, 'Access-Control-Request-Method');
        }

        if (! $response->headers->has('Access-Control-Allow-Origin')) {
            $this->configureAllowedOrigin($options, $response, $request);

            if ($response->headers->has('Access-Control-Allow-Origin')) {
                $this->configureAllowCredentials($options, $response);

                if ($options['exposed_headers']) {
                    $response->headers->set('Access-Control-Expose-Headers', implode(', ', $options['exposed_headers']));
                }
            }
        }

        return $response;
    }

    protected function isMatchingPath(Request $request): bool
    {
        $paths = $this->config->get('cors.paths', []);

        if (isset($paths[$request->getHost()])) {
            $paths = $paths[$request->getHost()];
        } else {
            $paths = array_filter($paths, 'is_string');
        }

        foreach ($paths as $path) {
            if ($path !== '/') {
                $path = trim($path, '/');
            }

            if ($request->fullUrlIs($path) || $request->is($path)) {
                return true;
            }
        }

        return false;
    }

    /**
     * config/cors.php, checked and normalised as the package does.
     */
    protected function options(): array
    {
        $config = (array) $this->config->get('cors', []) + [
            'allowed_methods' => [],
            'allowed_origins' => [],
            'allowed_origins_patterns' => [],
            'allowed_headers' => [],
            'exposed_headers' => [],
            'max_age' => 0,
            'supports_credentials' => false,
        ];

        if ($config['exposed_headers'] && ! is_array($config['exposed_headers'])) {
            throw new \RuntimeException('CORS config `exposed_headers` should be `false` or an array');
        }

        foreach (['allowed_origins', 'allowed_origins_patterns', 'allowed_headers', 'allowed_methods'] as $key) {
            if (! is_array($config[$key])) {
                throw new \RuntimeException('CORS config `'.$key.'` should be an array');
            }
        }

        $patterns = $config['allowed_origins_patterns'];
        foreach ($config['allowed_origins'] as $origin) {
            if (strpos($origin, '*') !== false) {
                $patterns[] = '#^'.str_replace('\*', '.*', preg_quote($origin, '#')).'\z#u';
            }
        }

        return [
            'allowed_origins' => in_array('*', $config['allowed_origins'], true) ? true : $config['allowed_origins'],
            'allowed_origins_patterns' => $patterns,
            'allowed_headers' => in_array('*', $config['allowed_headers'], true)
                ? true : array_map('strtolower', $config['allowed_headers']),
            'allowed_methods' => in_array('*', $config['allowed_methods'], true)
                ? true : array_map('strtoupper', $config['allowed_methods']),
            'exposed_headers' => $config['exposed_headers'],
            'max_age' => $config['max_age'],
            'supports_credentials' => (bool) $config['supports_credentials'],
        ];
    }

    protected function addPreflightHeaders(array $options, Response $response, Request $request): void
    {
        $this->configureAllowedOrigin($options, $response, $request);

        if (! $response->headers->has('Access-Control-Allow-Origin')) {
            return;
        }

        $this->configureAllowCredentials($options, $response);

        if ($options['allowed_methods'] === true) {
            $response->headers->set('Access-Control-Allow-Methods', strtoupper((string) $request->headers->get('Access-Control-Request-Method')));
            $this->vary($response, 'Access-Control-Request-Method');
        } else {
            $response->headers->set('Access-Control-Allow-Methods', implode(', ', $options['allowed_methods']));
        }

        if ($options['allowed_headers'] === true) {
            $response->headers->set('Access-Control-Allow-Headers', (string) $request->headers->get('Access-Control-Request-Headers'));
            $this->vary($response, 'Access-Control-Request-Headers');
        } else {
            $response->headers->set('Access-Control-Allow-Headers', implode(', ', $options['allowed_headers']));
        }

        if ($options['max_age'] !== null) {
            $response->headers->set('Access-Control-Max-Age', (string) (int) $options['max_age']);
        }
    }

    protected function configureAllowedOrigin(array $options, Response $response, Request $request): void
    {
        if ($options['allowed_origins'] === true && ! $options['supports_credentials']) {
            $response->headers->set('Access-Control-Allow-Origin', '*');

            return;
        }

        if ($options['allowed_origins'] !== true && empty($options['allowed_origins_patterns'])
            && count($options['allowed_origins']) === 1) {
            $response->headers->set('Access-Control-Allow-Origin', array_values($options['allowed_origins'])[0]);

            return;
        }

        if ($request->headers->has('Origin') && $this->isOriginAllowed($options, $request->headers->get('Origin'))) {
            $response->headers->set('Access-Control-Allow-Origin', $request->headers->get('Origin'));
        }

        $this->vary($response, 'Origin');
    }

    protected function isOriginAllowed(array $options, string $origin): bool
    {
        if ($options['allowed_origins'] === true || in_array($origin, $options['allowed_origins'], true)) {
            return true;
        }

        foreach ($options['allowed_origins_patterns'] as $pattern) {
            if (preg_match($pattern, $origin)) {
                return true;
            }
        }

        return false;
    }

    protected function configureAllowCredentials(array $options, Response $response): void
    {
        if ($options['supports_credentials']) {
            $response->headers->set('Access-Control-Allow-Credentials', 'true');
        }
    }

    protected function vary(Response $response, string $header): void
    {
        if (! $response->headers->has('Vary')) {
            $response->headers->set('Vary', $header);
        } elseif (! in_array($header, explode(', ', $response->headers->get('Vary')), true)) {
            $response->headers->set('Vary', $response->headers->get('Vary').', '.$header);
        }
    }
}
