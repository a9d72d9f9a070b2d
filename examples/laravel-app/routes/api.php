<?php

use App\Http\Controllers\HeartbeatController;
use App\Http\Controllers\JobController;
use App\Http\Controllers\MigrationController;
use Illuminate\Support\Facades\Route;

/*
|--------------------------------------------------------------------------
| API Routes
|--------------------------------------------------------------------------
|
| Loaded by the RouteServiceProvider with the /api prefix and the "api"
| middleware group (no session, no CSRF).
|
*/

Route::post('/jobs', [JobController::class, 'store']);
Route::get('/jobs/{id}', [JobController::class, 'show'])->where('id', '[0-9a-fA-F-]{36}');
Route::get('/heartbeat', HeartbeatController::class);
Route::get('/migrations', MigrationController::class);
