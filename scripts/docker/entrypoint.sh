#!/bin/sh
# OneSeal container entrypoint: the first argument picks the container's role.
#
#   web       daphne serving portal.asgi:application on :8000 (HTTP + websockets)
#   worker    celery -A portal worker (extra arguments are passed on, e.g. --concurrency 4)
#   beat      celery -A portal beat (run exactly one)
#   migrate   one-shot: deployment checks, migrate, collectstatic
#   manage    python manage.py ... (e.g. `manage createsuperuser`)
#   anything else is executed as given.
#
# Configuration comes only from the environment (the compose env_file); the variable
# names are the ones read in portal/settings/env.py. See docs/deploy.md.
set -eu

cd /app

refuse_example_values() {
    # The example env file marks every secret CHANGE-ME; never run with one of those.
    placeholders=$(env | grep -E '^[A-Z0-9_]+=.*CHANGE-ME' | cut -d= -f1 | tr '\n' ' ' || true)
    if [ -n "$placeholders" ]; then
        echo "oneseal: still the example value (CHANGE-ME) in: $placeholders" >&2
        echo "oneseal: copy docs/deploy/production.env.example, fill it in and point" \
             "ONESEAL_ENV_FILE at it (docs/deploy.md)." >&2
        exit 64
    fi
}

role="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
    web)
        refuse_example_values
        exec daphne --bind 0.0.0.0 --port 8000 --proxy-headers \
            --application-close-timeout 30 "$@" portal.asgi:application
        ;;
    worker)
        refuse_example_values
        exec celery -A portal worker --loglevel INFO --prefetch-multiplier 1 "$@"
        ;;
    beat)
        refuse_example_values
        exec celery -A portal beat --loglevel INFO \
            --schedule /app/var/celerybeat-schedule "$@"
        ;;
    migrate)
        refuse_example_values
        echo "==> deployment checks"
        python manage.py check --deploy --fail-level WARNING
        echo "==> migrate"
        python manage.py migrate --noinput
        echo "==> collectstatic"
        python manage.py collectstatic --noinput --verbosity 1
        ;;
    manage)
        exec python manage.py "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
