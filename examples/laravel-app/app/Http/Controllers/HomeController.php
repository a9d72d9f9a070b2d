<?php

namespace App\Http\Controllers;

use Illuminate\Support\Facades\Redis;

class HomeController extends Controller
{
    /**
     * Count the hit in Redis (INCR on the master found through the sentinels).
     *
     * @return \Illuminate\Http\JsonResponse
     */
    public function __invoke()
    {
        $hits = Redis::incr('hits');

        return response()->json([
            'hits' => (int) $hits,
            'host' => gethostname(),
            'release' => config('app.release'),
        ]);
    }
}
