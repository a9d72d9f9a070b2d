import { SCHEDULER_TICK_FILE } from "../names";

/**
 * The scheduler container's main process: Laravel's `schedule:run` at the start of every minute,
 * like a crontab line `* * * * * php artisan schedule:run`, but keeping the container's
 * environment (cron would drop it) and stopping promptly on SIGTERM.
 */

export function renderSchedulerLoop(appDir: string): string {
  return `set -u
trap 'exit 0' TERM INT
cd ${appDir}
while :; do
  date +%s > ${SCHEDULER_TICK_FILE}
  php artisan schedule:run --no-interaction || echo "schedule:run failed with $?" >&2
  sleep $((60 - $(date +%s) % 60)) &
  wait $!
done
`;
}

/** Healthy while the loop has ticked within the last two minutes. */
export function schedulerHealthCommand(): string {
  return `test $(( $(date +%s) - $(cat ${SCHEDULER_TICK_FILE}) )) -lt 120`;
}
