/**
 * npm run bench — benchmarks of the hot paths (hall query, grab race, order creation, socket
 * fan-out, chat, lifecycle) arrive with the features they measure.
 */
process.stdout.write('No benchmark exists yet: the hot paths it measures (orders, realtime, payments) are not built.\n');
