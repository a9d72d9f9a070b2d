<?php

namespace App\Redis;

use Illuminate\Redis\Connectors\PredisConnector;
use Predis\Connection\Parameters;

/**
 * Predis connector that can authenticate to password-protected sentinels.
 *
 * Predis 1.1 (Debian's php-nrk-predis) removes `password` and `database` from
 * the parameters of every sentinel given as a string or an array, because a
 * sentinel does not accept SELECT and, before Redis 5, not AUTH either. It
 * does however use as-is sentinel parameters given as Parameters objects, and
 * the connection factory sends AUTH for those. This connector turns each
 * sentinel entry of a connection configured with `replication => sentinel`
 * into such an object, with the password from `options.sentinel_password`.
 *
 * The configuration itself stays plain arrays (so `config:cache` works).
 */
class SentinelPredisConnector extends PredisConnector
{
    /**
     * Create a new Predis connection.
     *
     * @param  array  $config
     * @param  array  $options
     * @return \Illuminate\Redis\Connections\PredisConnection
     */
    public function connect(array $config, array $options)
    {
        $merged = array_merge($options, $config['options'] ?? []);

        unset($options['sentinel_password'], $options['sentinel_timeout']);
        unset($config['options']['sentinel_password'], $config['options']['sentinel_timeout']);

        if (($merged['replication'] ?? null) === 'sentinel') {
            foreach ($config as $key => $sentinel) {
                if (is_int($key)) {
                    $config[$key] = $this->sentinelParameters(
                        $sentinel,
                        $merged['sentinel_password'] ?? null,
                        $merged['sentinel_timeout'] ?? null
                    );
                }
            }
        }

        return parent::connect($config, $options);
    }

    /**
     * Build the connection parameters of one sentinel.
     *
     * @param  string|array|\Predis\Connection\ParametersInterface  $sentinel
     * @param  string|null  $password
     * @param  float|null  $timeout
     * @return \Predis\Connection\ParametersInterface|mixed
     */
    protected function sentinelParameters($sentinel, $password, $timeout)
    {
        if (is_string($sentinel)) {
            $sentinel = Parameters::parse($sentinel);
        }

        if (! is_array($sentinel)) {
            return $sentinel;
        }

        // A sentinel accepts neither SELECT nor a username for requirepass.
        unset($sentinel['database'], $sentinel['username']);

        if ($password !== null && $password !== '') {
            $sentinel['password'] = $password;
        } else {
            unset($sentinel['password']);
        }

        if (! isset($sentinel['timeout'])) {
            $sentinel['timeout'] = $timeout !== null ? (float) $timeout : 0.5;
        }

        return new Parameters($sentinel);
    }
}
