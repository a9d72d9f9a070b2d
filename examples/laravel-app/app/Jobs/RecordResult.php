<?php

namespace App\Jobs;

use Illuminate\Bus\Queueable;
use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Bus\Dispatchable;
use Illuminate\Queue\InteractsWithQueue;
use Illuminate\Support\Facades\Redis;

class RecordResult implements ShouldQueue
{
    use Dispatchable, InteractsWithQueue, Queueable;

    /**
     * How long a result is kept, in seconds.
     */
    public const TTL = 86400;

    /**
     * @var string
     */
    public $id;

    /**
     * @param  string  $id
     * @return void
     */
    public function __construct(string $id)
    {
        $this->id = $id;
    }

    /**
     * The Redis key of the result of the job with the given id.
     *
     * @param  string  $id
     * @return string
     */
    public static function key(string $id)
    {
        return 'jobs:result:'.$id;
    }

    /**
     * Execute the job: record which worker ran it, and when.
     *
     * @return void
     */
    public function handle()
    {
        $record = [
            'id' => $this->id,
            'host' => gethostname(),
            'at' => now()->toIso8601String(),
        ];

        Redis::setex(self::key($this->id), self::TTL, json_encode($record));
    }
}
