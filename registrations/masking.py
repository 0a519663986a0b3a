"""How a NIK and a mobile number are shown when they are not revealed: enough to tell two
people apart on a list or to confirm a number read out on the phone, not enough to use them
(3171********0001, 0812****7890). Every admin page, export and /me/ page masks through these."""


def mask_nik(nik: str) -> str:
    return f"{nik[:4]}{'*' * (len(nik) - 8)}{nik[-4:]}" if nik and len(nik) > 8 else ""


def local_phone(phone: str) -> str:
    """+6281234567890 → 081234567890 (the form people read and type)."""
    return "0" + phone[3:] if phone.startswith("+62") else phone


def mask_phone(phone: str) -> str:
    local = local_phone(phone or "")
    return f"{local[:4]}{'*' * (len(local) - 8)}{local[-4:]}" if len(local) > 8 else ""


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    name, domain = email.split("@", 1)
    return f"{name[:1]}***@{domain}"
