"""What API Gateway answers for an address no route serves, as the stack configures it on AWS (gateway responses,
infra/stacks/sabeghe_stack.py): 404 in the contract's error shape. `chalice local` and chalice's test client
imitate API Gateway's default instead, a 403 that repeats the caller's Authorization header back."""
from __future__ import annotations

import json

from chalice import local

from chalicelib.http.responses import JSON, NO_STORE, error_body


class NoSuchRoute(local.LocalGatewayException):
    CODE = 404


def install() -> None:
    if getattr(local.LocalGateway, "_sabeghe_routes", False):
        return
    generate = local.LocalGateway._generate_lambda_event

    def generate_or_404(self, method, path, headers, body):
        try:
            return generate(self, method, path, headers, body)
        except ValueError:
            raise NoSuchRoute({"Content-Type": JSON, **NO_STORE}, json.dumps(
                error_body("not_found", "There is nothing at this address.")).encode()) from None

    local.LocalGateway._generate_lambda_event = generate_or_404
    local.LocalGateway._sabeghe_routes = True
