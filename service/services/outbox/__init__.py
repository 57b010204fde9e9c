"""The webhook outbox: events written with their change, their payloads, the endpoints,
delivery bookkeeping and retention."""
