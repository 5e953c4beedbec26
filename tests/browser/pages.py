"""What the evaluator browser tests share: a page logged in as the evaluator alice."""

from django.urls import reverse


def logged_in(new_page, server, width, height):
    """Return a page of the given size, logged in through the site's own login form."""
    page = new_page(viewport={"width": width, "height": height})
    page.goto(server + reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "pw-alice")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "login" not in url)
    return page
