"""Fields encrypted at rest, and re-encryption with the newest key.

django-fernet-encrypted-fields derives one Fernet key from ``SECRET_KEY`` and each salt
in ``SALT_KEY`` (our ``FIELD_ENCRYPTION_KEYS``, newest first), then from each of
``SECRET_KEY_FALLBACKS``: the first key encrypts, every key decrypts. Two changes to the
library's fields:

- the keys are looked up per settings rather than cached per field for the life of the
  process, so that a rotation takes effect (and can be tested) without a restart;
- an empty value is stored as ``""`` rather than NULL: "no email given" is not secret,
  and the existing ``exclude(email="")`` filters and check constraints keep working.

An encrypted value cannot be searched or filtered in SQL (each encryption is random), so
only fields that no query filters, groups or sorts by are encrypted.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.apps import apps as django_apps
from django.conf import settings
from django.db import migrations, models, transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from encrypted_fields import fields

# The library's derivation, kept identical so that its own fields could read our rows.
_KDF_ITERATIONS = 100_000
_BATCH = 500


def _derive(secret: str, salt: str) -> bytes:
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=_KDF_ITERATIONS
    )
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


@lru_cache(maxsize=8)
def _keys(secrets: tuple[str, ...], salts: tuple[str, ...]) -> tuple[bytes, ...]:
    return tuple(_derive(secret, salt) for secret in secrets for salt in salts)


def _keys_in_force() -> tuple[bytes, ...]:
    """Every key, newest first: ``SECRET_KEY`` with each field key, then each fallback."""
    salts = settings.SALT_KEY if isinstance(settings.SALT_KEY, list) else [settings.SALT_KEY]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return _keys(tuple(secrets), tuple(salts))


@lru_cache(maxsize=8)
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def field_fernet() -> MultiFernet:
    """The keys in force: the newest encrypts, all decrypt."""
    return _fernet(_keys_in_force())


class _CurrentKeysMixin(fields.EncryptedFieldMixin):
    @property
    def f(self) -> MultiFernet:
        return field_fernet()

    def get_prep_value(self, value: Any) -> Any:
        if value == "":
            return ""
        return super().get_prep_value(value)

    def in_the_clear(self, value: Any) -> Any:
        """The value as the plain column before encryption held it (for going back)."""
        return value


class EncryptedCharField(_CurrentKeysMixin, models.CharField):
    pass


class EncryptedTextField(_CurrentKeysMixin, models.TextField):
    pass


class EncryptedEmailField(_CurrentKeysMixin, models.EmailField):
    pass


class EncryptedJSONField(_CurrentKeysMixin, models.TextField):
    """Any JSON value (a number, a choice, a list of choices, a text), encrypted whole:
    ``json.dumps`` then Fernet, and back. The library's own JSON field encrypts each
    leaf as a string, so 5 would come back as "5"; this one keeps the types. Nothing
    can query inside it in SQL; its readers work on the decoded values in Python."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return super().get_prep_value(json.dumps(value, ensure_ascii=False))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        try:
            text = self.f.decrypt(value.encode()).decode()
        except InvalidToken:
            text = value  # written before the field was encrypted: JSON in the clear
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        # Forms and ``full_clean`` hand over a value already decoded.
        return value

    def in_the_clear(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False)


def _digest_keys() -> list[bytes]:
    """One HMAC key per key in force, newest first, derived apart from the Fernet keys."""
    return [hashlib.sha256(b"coproduce-digest:" + key).digest() for key in _keys_in_force()]


def _digest(key: bytes, value: str) -> str:
    return hmac.new(key, value.strip().casefold().encode(), hashlib.sha256).hexdigest()


def digests(value: str) -> list[str]:
    """The digests ``value`` may be stored under, one per key in force: a lookup finds
    a row whether or not it has been moved to the newest key yet."""
    return [_digest(key, value) for key in _digest_keys()]


class DigestField(models.CharField):
    """A keyed digest of another field, for finding a row by an encrypted value (an
    exact match, ignoring case and surrounding spaces), which SQL cannot search. An
    HMAC, not a plain hash: without the key, a digest cannot be checked against a list
    of likely addresses. Written on every save from ``source``; empty when it is."""

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = getattr(model_instance, self.source) or ""
        digest = _digest(_digest_keys()[0], value) if value else ""
        setattr(model_instance, self.attname, digest)
        return digest


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    """The encrypted fields of a model, and the digests of them, which move with them."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, _CurrentKeysMixin | DigestField)
    ]


def reencrypt(model: type[models.Model], names: Iterable[str] | None = None) -> int:
    """Write every row's encrypted fields again: plaintext (or an older key) → newest key.

    Reading decrypts with any key in force (a value that is not a token, such as a row
    written before its field was encrypted, reads as itself); saving encrypts with the
    newest. Used by the migrations that encrypt a field and by ``rotate_field_keys``.
    """
    names = list(names or encrypted_field_names(model))
    digests = [f for f in model._meta.concrete_fields if isinstance(f, DigestField)]
    rows = model._default_manager.only("pk", *names, *(f.source for f in digests)).order_by("pk")
    count, last = 0, None
    with transaction.atomic():
        while batch := list((rows if last is None else rows.filter(pk__gt=last))[:_BATCH]):
            for row in batch:
                for field in digests:
                    field.pre_save(row, add=False)
            model._default_manager.bulk_update(batch, names)
            count, last = count + len(batch), batch[-1].pk
    return count


def encrypt_rows_operation(app_label: str, model_name: str) -> migrations.RunPython:
    """A migration step that encrypts the rows written before the fields were encrypted.

    Backwards, it writes the decrypted values back in the clear, so that the field can
    go back to a plain column.
    """

    def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        reencrypt(apps.get_model(app_label, model_name))

    def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        model = apps.get_model(app_label, model_name)
        fields = [f for f in model._meta.concrete_fields if isinstance(f, _CurrentKeysMixin)]
        names = [f.name for f in fields]
        columns = ", ".join(f"{schema_editor.quote_name(name)} = %s" for name in names)
        sql = f"UPDATE {schema_editor.quote_name(model._meta.db_table)} SET {columns} WHERE id = %s"  # noqa: S608 - names from the model, values bound # nosec B608
        with schema_editor.connection.cursor() as cursor:
            for row in model._default_manager.only("pk", *names).iterator():
                clear = [f.in_the_clear(getattr(row, f.name)) for f in fields]
                cursor.execute(sql, [*clear, row.pk])

    return migrations.RunPython(forwards, backwards)


def reencrypt_all() -> dict[str, int]:
    """Re-encrypt every encrypted field of every model with the newest key: rows per model."""
    return {
        model._meta.label: reencrypt(model)
        for model in django_apps.get_models()
        if encrypted_field_names(model)
    }
