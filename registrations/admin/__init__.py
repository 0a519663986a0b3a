"""The back office of registrations, one module per subject.

Every admin here is scoped through registrations.selectors (deny by default) and writes
through registrations.services, so history and the status log are kept whatever screen a
change comes from.

- base.py: ScopedAdmin / ScopedHistoryAdmin (every queryset through a `*_visible_to`
  selector, out-of-scope objects are a 404) and the estimated-count paginator.
- actions.py: RowAction, the bulk action that calls a service once per selected row, with an
  optional form on an intermediate page (a reason, an outcome), and ReasonForm.
- forms.py: the walk-in, correction, business, enrol, outcome and import forms.
- filters.py: the list filters (each checks its value) and the NIK search pattern.
- inlines.py: the inlines of the entrepreneur's and the activity's pages.
- users.py: accounts. entrepreneurs.py (+ entrepreneur_pages.py: export, import,
  duplicates), import_jobs.py (the import jobs' pages: progress, outcome, report, run again),
  business.py, enrollments.py, activities.py (activities and attendance: here,
  not in facilities, because their participant lists need registrations).
- search.py: the entrepreneur list's capped search (at most 200 matches listed, word starts
  first, then the trigram index; "more than 200" past the cap).
- reveal.py: NIK and phone masked everywhere, revealed with a reason (one person, or a full
  export), every reveal in the RevealLog the Dinas reads (read-only).

Read-only admins and inlines use jakpreneur.admin.ReadOnlyMixin.
"""

from registrations.admin import (  # noqa: F401 - registers them
    activities,
    business,
    enrollments,
    entrepreneurs,
    import_jobs,
    reveal,
    users,
)
