/**
 * The release check run before the migration: it boots this release as its services will and
 * touches what they use (database, cache store, queue connection). A release that cannot work
 * (a missing PHP extension, a bad setting, an unreachable Redis or database) fails the deploy
 * here, in seconds and with the reason, before any running container is replaced.
 */
export function renderReleaseCheck(appDir: string): string {
  return `<?php
chdir('${appDir}');
if (is_file('vendor/autoload.php')) {
    require 'vendor/autoload.php';
}
$app = require 'bootstrap/app.php';
$app->make(Illuminate\\Contracts\\Console\\Kernel::class)->bootstrap();

$checks = [
    'database' => function ($app) {
        $app['db']->connection()->getPdo();
        return $app['db']->connection()->getDriverName();
    },
    'cache' => function ($app) {
        $store = $app['cache']->store();
        $store->put('release-check', 'ok', 60);
        if ($store->get('release-check') !== 'ok') {
            throw new RuntimeException('a value written to the cache did not read back');
        }
        return $app['config']['cache.default'];
    },
    'queue' => function ($app) {
        $app['queue']->connection()->size();
        return $app['config']['queue.default'];
    },
];
$failed = false;
foreach ($checks as $name => $check) {
    try {
        $detail = $check($app);
        echo "release check: $name ok ($detail)\\n";
    } catch (Throwable $e) {
        $failed = true;
        fwrite(STDERR, "release check: $name failed: " . get_class($e) . ': ' . $e->getMessage() . "\\n");
    }
}
exit($failed ? 1 : 0);
`;
}
