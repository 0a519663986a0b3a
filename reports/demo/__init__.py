"""Synthetic demo data for `manage.py seed_demo`: entrepreneurs, businesses and enrolments
shaped like the real programme.

The people's rows deliberately bypass registrations.services: they are written as bulk
*synthetic* rows (PostgreSQL COPY, or bulk_create elsewhere) so that a million entrepreneurs
load in minutes for demos and benchmarks. Those are not real writes, so they carry no account,
status log (StatusChange) or simple-history rows; every row still satisfies every database
constraint (valid NIK consistent with birth date and gender, E.164 phone, one open enrolment
per entrepreneur and facility, states with matching timestamps). Demo rows are marked with a
`legacy_id` starting with "demo-".

By subject: `programme` (the real programme's curve, funnel and vocabularies), `people` (the
deterministic generator), `writing` (COPY / bulk_create in batches: `seed_people`). Each app
above registrations seeds its own subject: `growth.demo` (mentoring, monthly reports),
`marketing.demo` (products, curation), `financing.demo` (loans); the command calls them in
that order.
"""
