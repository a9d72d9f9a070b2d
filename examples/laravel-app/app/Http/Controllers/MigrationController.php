<?php

namespace App\Http\Controllers;

use Illuminate\Support\Facades\DB;

class MigrationController extends Controller
{
    /**
     * The rows of Laravel's migrations table.
     *
     * @return \Illuminate\Http\JsonResponse
     */
    public function __invoke()
    {
        $rows = DB::table(config('database.migrations'))
            ->orderBy('id')
            ->get(['id', 'migration', 'batch']);

        return response()->json($rows);
    }
}
