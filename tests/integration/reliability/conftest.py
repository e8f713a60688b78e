from tests.integration.services.conftest import backend, config_factory, kafka_bootstrap_or_none, services  # noqa: F401
