<?php

use App\Http\Controllers\HomeController;
use Illuminate\Support\Facades\Route;

/*
|--------------------------------------------------------------------------
| Web Routes
|--------------------------------------------------------------------------
|
| Loaded by the RouteServiceProvider within the "web" middleware group.
| (GET /up, the health check, is registered there without any middleware.)
|
*/

Route::get('/', HomeController::class);
