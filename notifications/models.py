"""What each person was told (in the portal, and whether by e-mail), and which e-mails they want."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Mail(models.TextChoices):
        NONE = "none", _("No e-mail")  # turned off, or the person has no address
        QUEUED = "queued", _("Queued")
        BATCHED = "batched", _("Waiting for the next batch")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Set when the same notice must never be recorded (nor mailed) twice, e.g. "reminder:H1:2568:unit 7:-7".
    once_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mail = models.CharField(_("e-mail"), max_length=10, choices=Mail.choices, default=Mail.NONE)
    mailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    mail_error = models.TextField(_("e-mail error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "once_key"], condition=~models.Q(once_key=""), name="notification_once_per_user"
            )
        ]
        indexes = [models.Index(fields=["user", "kind", "mail"])]

    def __str__(self):
        return self.subject


class EmailPreference(models.Model):
    """A kind of e-mail a person turned off (or on again). No row: the kind is e-mailed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    enabled = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="emailpreference_unique")]
