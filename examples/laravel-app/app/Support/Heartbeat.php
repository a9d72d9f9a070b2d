<?php

namespace App\Support;

use Illuminate\Support\Facades\Redis;

/**
 * The scheduler's heartbeat, kept in Redis.
 */
class Heartbeat
{
    public const KEY = 'scheduler:heartbeat';

    /**
     * Record that the scheduler ran now, on this host.
     *
     * @return array
     */
    public static function write()
    {
        $beat = ['at' => time(), 'host' => gethostname()];

        Redis::set(self::KEY, json_encode($beat));

        return $beat;
    }

    /**
     * The last heartbeat, or null when the scheduler never ran.
     *
     * @return array|null
     */
    public static function read()
    {
        $value = Redis::get(self::KEY);

        return $value === null ? null : json_decode($value, true);
    }
}
