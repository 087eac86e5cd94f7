"""The API's routes, one blueprint per section; app.py registers them. Each route parses its input, calls one
service and shapes the answer. The inquiry function's own routes are in institution.py."""
