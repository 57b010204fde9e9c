"""The service hashes at full strength, whatever the suite uses to go faster."""

from __future__ import annotations

from argon2 import Type, extract_parameters, profiles

from tests.conftest import SERVICE_HASHER


def test_the_service_hashes_with_argon2id_at_the_recommended_parameters() -> None:
    stored = extract_parameters(SERVICE_HASHER.hash("a long enough passphrase"))

    recommended = profiles.RFC_9106_LOW_MEMORY
    assert stored.type is Type.ID
    assert stored.memory_cost == recommended.memory_cost >= 64 * 1024  # KiB
    assert stored.time_cost == recommended.time_cost >= 3
    assert SERVICE_HASHER.verify(SERVICE_HASHER.hash("another passphrase"), "another passphrase")
