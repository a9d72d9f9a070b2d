<?php

use App\Support\Heartbeat;
use Illuminate\Support\Facades\Artisan;

/*
|--------------------------------------------------------------------------
| Console Routes
|--------------------------------------------------------------------------
*/

Artisan::command('app:heartbeat', function () {
    $beat = Heartbeat::write();

    $this->info('Heartbeat written: '.json_encode($beat));
})->purpose('Write the scheduler heartbeat to Redis now');
