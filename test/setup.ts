// Tests never reach the internet: every service is a loopback fake started by the test.
process.env.GITHUB_ACTIONS ??= '';
