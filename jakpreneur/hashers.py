"""Password hashing: Argon2id at OWASP's recommended minimum, memory-hard.

OWASP's Password Storage Cheat Sheet lists equivalent Argon2id settings; we take m = 19 MiB,
t = 2, p = 1, the first of them. Django's own Argon2PasswordHasher defaults (100 MiB, p = 8)
are stronger on paper, but a registration then costs several times the CPU and memory on a
2-core web machine that must take registration peaks (docs/PERFORMANCE.md, "Registration");
PBKDF2-SHA256 at Django's 1,000,000 iterations costs ~4.5 × the CPU of this setting and is not
memory-hard, so a GPU cracks it far more cheaply. The parameters come from the environment
(never below the minimum: a start-up check refuses weaker ones), and a stored hash made with
other parameters or another algorithm is re-hashed with these at the person's next login
(Django does that whenever `must_update` says so or the algorithm is not the first one).
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

# OWASP's minimum for Argon2id.
MINIMUM_MEMORY_KIB = 19 * 1024
MINIMUM_TIME_COST = 2


class Argon2idHasher(Argon2PasswordHasher):
    """Django's Argon2 hasher (always Argon2id) with our cost parameters. The algorithm name
    stays "argon2", so hashes are interchangeable with Django's own."""

    memory_cost = settings.JAKPRENEUR_ARGON2_MEMORY_KIB
    time_cost = settings.JAKPRENEUR_ARGON2_TIME_COST
    parallelism = settings.JAKPRENEUR_ARGON2_PARALLELISM
