<?php

namespace App\Providers;

use App\Redis\SentinelPredisConnector;
use Illuminate\Support\ServiceProvider;

class AppServiceProvider extends ServiceProvider
{
    /**
     * Register any application services.
     *
     * @return void
     */
    public function register()
    {
        // Predis 1.1 drops the password of the connection parameters it
        // builds for sentinels; our connector passes ready-made parameter
        // objects so that sentinels protected by `requirepass` work too.
        $this->app->afterResolving('redis', function ($redis) {
            $redis->extend('predis', function () {
                return new SentinelPredisConnector;
            });
        });
    }

    /**
     * Bootstrap any application services.
     *
     * @return void
     */
    public function boot()
    {
        //
    }
}
