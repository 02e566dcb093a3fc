from django.db import models


class Row(models.Model):
    """One posted JSON document. The table is created by ``bench_public`` (no migrations)."""

    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects: "models.Manager[Row]" = models.Manager()

    class Meta:
        db_table = "bare_row"

    def __str__(self) -> str:
        return f"row {self.pk}"
