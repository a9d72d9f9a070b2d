<?php

namespace App\Http\Controllers;

use App\Support\Heartbeat;

class HeartbeatController extends Controller
{
    /**
     * The last heartbeat written by the scheduler.
     *
     * @return \Illuminate\Http\JsonResponse
     */
    public function __invoke()
    {
        $beat = Heartbeat::read();

        if ($beat === null) {
            return response()->json(['message' => 'No heartbeat yet.'], 404);
        }

        return response()->json($beat);
    }
}
