<?php

namespace App\Http\Controllers;

use App\Jobs\RecordResult;
use Illuminate\Support\Facades\Redis;
use Illuminate\Support\Str;

class JobController extends Controller
{
    /**
     * Queue a RecordResult job.
     *
     * @return \Illuminate\Http\JsonResponse
     */
    public function store()
    {
        $id = (string) Str::uuid();

        RecordResult::dispatch($id);

        return response()->json(['id' => $id], 202);
    }

    /**
     * The result of a job, once a worker ran it.
     *
     * @param  string  $id
     * @return \Illuminate\Http\JsonResponse
     */
    public function show(string $id)
    {
        $record = Redis::get(RecordResult::key($id));

        if ($record === null) {
            return response()->json(['message' => 'Not found.'], 404);
        }

        return response()->json(json_decode($record, true));
    }
}
