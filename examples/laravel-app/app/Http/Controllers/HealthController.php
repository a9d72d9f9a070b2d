<?php

namespace App\Http\Controllers;

class HealthController extends Controller
{
    /**
     * The application booted and handles requests.
     *
     * @return \Illuminate\Http\Response
     */
    public function __invoke()
    {
        return response('ok', 200, ['Content-Type' => 'text/plain; charset=UTF-8']);
    }
}
