from tests.consumers.conftest import consumer_settings, fresh_group, producer  # noqa: F401
