"""Moving records in and out: the whole-account document (export, import, its checks
and writes) and the LinkedIn connections import."""
