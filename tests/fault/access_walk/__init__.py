"""Walk every URL pattern in the URLconf as each kind of visitor and compare what happens
with an explicit allow/deny table; then submit every admin add form, change form and action
with ids outside each visitor's scope. A URL added without an entry fails the suite.

Visitors: anonymous; an entrepreneur (their own account, in Menteng); alice (centre staff of
Gambir, looking at Menteng's data); olga (an official: dashboard only); dina (dinas admin);
maya (a mentor of Gambir: her caseload only, and Menteng's people are not in it).
Objects in the URLs belong to Menteng, so alice must be kept out of every one of them.

- table.py: the roles, the outcomes and the table (`EXPECTED`) every URL is checked against;
- urlconf.py: enumerating the URLconf, filling a route with sample values, reading an outcome;
- conftest.py: the cast (`as_role`), the Menteng samples every URL names, the superuser;
- posts.py: what the POST walk submits: `ADD_DATA` (valid data of each admin add form),
  the forms scraped as a browser would send them, each scoped choice set outside the scope;
- test_get.py: GET and HEAD of every URL as every role (and no personal data shown);
- test_posts.py: every admin form and action POSTed out of scope changes nothing; the
  superuser control; growth's forms with Menteng's ids.
"""
