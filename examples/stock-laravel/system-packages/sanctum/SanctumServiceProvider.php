<?php

namespace Laravel\Sanctum;

use Illuminate\Auth\RequestGuard;
use Illuminate\Support\ServiceProvider;

/**
 * This example's stand-in for laravel/sanctum 2.x, written from its documented
 * API and what the stock skeleton uses (Debian has no package). Package
 * discovery registers this provider (composer.json's metapackage).
 *
 * Covers: the `sanctum` guard of `auth:sanctum` (the session guards of
 * config('sanctum.guard') first, then a personal access token sent as
 * `Authorization: Bearer <id>|<secret>`, honouring config('sanctum.expiration')),
 * HasApiTokens, the PersonalAccessToken model, Sanctum::currentApplicationUrlWithPort().
 *
 * Leaves out: the SPA middleware EnsureFrontendRequestsAreStateful and the
 * /sanctum/csrf-cookie route (config/sanctum.php's `stateful` and `middleware`
 * are unused), the abilities middleware, sanctum:prune-expired, events,
 * Sanctum::actingAs() and the other testing helpers, and publishing the
 * config and migration (the skeleton has both).
 */
class SanctumServiceProvider extends ServiceProvider
{
    public function register()
    {
        // Apps name the guard (auth:sanctum) without declaring it in
        // config/auth.php. This also runs under config:cache, so it is cached.
        if (! $this->app['config']->has('auth.guards.sanctum')) {
            $this->app['config']->set('auth.guards.sanctum', ['driver' => 'sanctum', 'provider' => null]);
        }

        // On every AuthManager the container makes, not only the first: tests
        // may forget the 'auth' instance and get a new one.
        $this->callAfterResolving('auth', function ($auth) {
            $auth->extend('sanctum', function ($app, $name, array $config) use ($auth) {
                $guard = new RequestGuard(new Guard($auth, $app['config']->get('sanctum.expiration')),
                    $app['request'], $auth->createUserProvider($config['provider'] ?? null));

                // Follow a request swapped in later (tests, long-running workers).
                $app->refresh('request', $guard, 'setRequest');

                return $guard;
            });
        });
    }
}
