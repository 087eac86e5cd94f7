"""CDK stacks for Sabeghe. Nothing is imported here: stacks.settings and stacks.functions are plain data that
infra/app.py (before it loads the CDK), the tests and the benches read on their own."""
