"""Database, cache, Celery and Channels, chosen from DATABASE_URL and REDIS_URL.

``configure(var_dir)`` returns the settings for the embedded default when the URLs are
unset: SQLite, local-memory cache, an in-memory channel layer and Celery on kombu's
filesystem transport (a real broker that needs no server).
"""

from pathlib import Path

import environ

from portal.settings import env as E


def s3_storage(*, bucket: str, endpoint_url: str = "", region: str = "",
               access_key: str = "", secret_key: str = "") -> dict:
    """Media on an S3-compatible store (MinIO, Ceph, OSS/COS S3 gateways): private objects,
    signed URLs, never overwritten. The test suite runs this against moto on loopback."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region,
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def database(var_dir: Path) -> dict:
    if E.DATABASE_URL:
        db = environ.Env.db_url_config(E.DATABASE_URL)
        if db["ENGINE"].endswith("postgresql"):
            # Persistent connections leak under ASGI (daphne); use a pooler such as pgbouncer.
            db["CONN_MAX_AGE"] = 0
        return db
    return sqlite(var_dir / "oneseal.sqlite3")


def sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def cache(file_dir: Path | None = None) -> dict:
    if E.REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": E.REDIS_URL}
    if file_dir is not None:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(file_dir)}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def channel_layer() -> dict:
    if E.REDIS_URL:
        return {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [E.REDIS_URL], "prefix": "oneseal"},
        }
    return {"BACKEND": "channels.layers.InMemoryChannelLayer"}


def celery(var_dir: Path) -> dict:
    """Celery settings (read by portal.celery with the CELERY_ namespace)."""
    common = {
        "CELERY_TASK_ACKS_LATE": True,
        "CELERY_WORKER_PREFETCH_MULTIPLIER": 1,
        "CELERY_TASK_SERIALIZER": "json",
        "CELERY_ACCEPT_CONTENT": ["json"],
        "CELERY_TIMEZONE": "Asia/Shanghai",
        "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP": True,
    }
    if E.REDIS_URL:
        return common | {
            "CELERY_BROKER_URL": E.REDIS_URL,
            "CELERY_RESULT_BACKEND": E.REDIS_URL,
            "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 3600},
        }
    broker = var_dir / "celery" / "broker"
    results = var_dir / "celery" / "results"
    for folder in (broker / "queue", broker / "processed", broker / "control", results):
        folder.mkdir(parents=True, exist_ok=True)
    return common | {
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            "data_folder_in": str(broker / "queue"),
            "data_folder_out": str(broker / "queue"),
            "processed_folder": str(broker / "processed"),
            "control_folder": str(broker / "control"),
            "store_processed": False,
        },
        "CELERY_RESULT_BACKEND": f"file://{results}",
        "CELERY_BEAT_SCHEDULE_FILENAME": str(var_dir / "celery" / "beat-schedule"),
    }
