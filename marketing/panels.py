"""The marketing part of /me/: products, open curation rounds and the submissions' status."""

from registrations import me_panels


def register() -> None:
    from marketing import selectors

    me_panels.register(
        me_panels.Panel(
            key="marketing",
            template="marketing/me_panel.html",
            context=lambda entrepreneur: selectors.me_marketing_panel(entrepreneur=entrepreneur),
            order=50,
            slot=me_panels.MAIN,
        )
    )
