"""The HTTP anchor: a bare Flask app whose one endpoint validates the submission with marshmallow and
echoes it (no auth, no log, no projection). gunicorn: `bench.echo_app:create_app()`."""

from __future__ import annotations

from flask import Flask, jsonify, request

from services.nomination.schemas import SubmitNominationRequestSchema


def create_app() -> Flask:
    app = Flask("echo")
    schema = SubmitNominationRequestSchema()

    @app.post("/echo")
    def echo():
        return jsonify(schema.load(request.get_json())), 201

    @app.get("/readyz")
    def ready():
        return {"ready": True}

    return app
