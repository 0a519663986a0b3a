"""Create or update a staff account with one role:

manage.py create_staff --email E --role ROLE [--kecamatan CODE ...] [--send-reset]
"""

import secrets

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from facilities.models import Kecamatan
from jakpreneur.access import KECAMATAN_ROLES, ROLES, STAFF_ROLES, apply_roles
from registrations.models import User


class Command(BaseCommand):
    help = f"Create or update a staff account ({', '.join(ROLES)})."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(ROLES)}.")
        parser.add_argument(
            "--kecamatan", nargs="*", default=None, metavar="CODE", help="Kemendagri codes, e.g. 31.71.01"
        )
        parser.add_argument(
            "--send-reset", action="store_true", help="Email a password-reset link instead of printing a password."
        )
        parser.add_argument("--domain", default="localhost:8000", help="Domain used in the reset link.")

    def handle(self, *args, email, role, kecamatan, send_reset, domain, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not a valid email address: {email!r}") from None
        if role not in ROLES:
            raise CommandError(f"Unknown role {role!r}; use one of: {', '.join(ROLES)}.")
        codes = sorted(set(kecamatan or []))
        found = set(Kecamatan.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(f"Unknown kecamatan code(s): {', '.join(unknown)} (use e.g. 31.71.01).")
        if role in KECAMATAN_ROLES and not codes:
            existing = User.objects.filter(email=email).first()
            if kecamatan is not None or existing is None or not existing.kecamatan_scope.exists():
                raise CommandError(f"{role} needs at least one --kecamatan CODE.")

        with transaction.atomic():
            missing = apply_roles()  # the whole access table, in case a role was edited by hand
            user, created = User.objects.get_or_create(email=email)
            user.is_staff = role in STAFF_ROLES
            user.is_active = True
            password = None
            if created:
                # With --send-reset nobody ever sees this password; the link replaces it.
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                if send_reset:
                    password = None
            user.save()
            user.groups.remove(*Group.objects.filter(name__in=[r for r in ROLES if r != role]))
            user.groups.add(Group.objects.get(name=role))
            if role in KECAMATAN_ROLES:
                if codes:
                    user.kecamatan_scope.set(codes)
            else:
                user.kecamatan_scope.clear()

        if missing:
            self.stderr.write(f"Permissions not in the database yet (run migrate): {len(missing)}.")
        summary = f"{'Created' if created else 'Updated'} {email} as {role}"
        if role in KECAMATAN_ROLES:
            summary += f" for {', '.join(user.kecamatan_scope.values_list('code', flat=True))}"
        self.stdout.write(self.style.SUCCESS(summary + "."))
        if send_reset:
            self._send_reset(user, domain)
            self.stdout.write(f"A password-reset link was sent to {email}.")
        elif password:
            self.stdout.write(f"One-time password (shown once; ask them to change it): {password}")
        else:
            self.stdout.write("The password was not changed (use --send-reset to send a reset link).")

    def _send_reset(self, user, domain):
        from django.contrib.auth.tokens import default_token_generator
        from django.core.mail import send_mail
        from django.urls import NoReverseMatch, reverse
        from django.utils.encoding import force_bytes
        from django.utils.http import urlsafe_base64_encode

        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        try:
            path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        except NoReverseMatch:
            raise CommandError("The password-reset pages are not installed; run without --send-reset.") from None
        send_mail(
            "JakPreneur: set your password",
            f"An account was created for you on the JakPreneur back office.\n\n"
            f"Set your password here: https://{domain}{path}\n",
            None,
            [user.email],
        )
