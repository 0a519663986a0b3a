"""Settings for `benchmarks/load.py --cheap-hashing` ONLY: production settings with MD5
password hashing, to show what a registration costs apart from hashing its password
(PBKDF2-SHA256 at Django's 1,000,000 iterations). Never use this anywhere else."""

from jakpreneur.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
