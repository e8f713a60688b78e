"""A member of the public reports a clue and follows it with the receipt; an officer answers;
every other page is visited once for its screenshot and its accessibility check."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import SUPERVISION, needs_supervision
from tests.browser.test_nomination_flow import fill, text


@needs_supervision
def test_a_member_of_the_public_reports_a_clue_and_follows_it_with_the_receipt(pages) -> None:
    driver = pages.driver
    pages.sign_out()
    pages.open("/report")
    assert pages.check("report") == []
    driver.find_element(By.ID, "kind-cadre").click()
    options = driver.find_elements(By.CSS_SELECTOR, "#category option[value]:not([value=''])")
    options[0].click()
    fill(
        driver,
        {
            "subject.name": "王某",
            "subject.unit": "county-7",
            "subject.position": "乡镇科长",
            "description": "群众反映的问题一拖再拖，只开会不落实。",
        },
    )
    pages.click("main form button[type=submit]")
    receipt = driver.find_element(By.ID, "receipt").get_attribute("data-receipt")
    assert len(receipt) == 16 and receipt.isdigit()
    assert receipt not in driver.current_url
    assert pages.check("report-receipt") == []
    pages.open("/report/status")
    assert pages.check("report-follow") == []
    fill(driver, {"receipt": receipt})
    pages.click("main form button[type=submit]")
    assert receipt not in driver.current_url
    assert "已收到" in text(driver)
    fill(driver, {"text": "补充：上周三又一次无人办理。"})
    pages.click("form[action='/report/messages'] button")
    assert "补充：上周三又一次无人办理。" in text(driver)
    assert pages.check("report-status") == []


@needs_supervision
def test_an_officer_takes_the_case_through_the_loop_in_the_browser(pages) -> None:
    driver = pages.driver
    pages.sign_in("v-001")
    pages.open("/cases")
    assert pages.check("cases-queue") == []
    pages.click("main table a[href^='/cases/']")
    assert pages.check("case-received") == []
    pages.click("section[aria-labelledby=accept-heading] button[type=submit]")
    assert "调查中" in text(driver)
    assert pages.check("case-investigating") == []


def test_every_public_page_is_accessible_in_both_languages(pages) -> None:
    pages.sign_out()
    for path, name in (("/", "home"), ("/board", "board"), ("/notices", "notices"), ("/commitments", "commitments")):
        pages.open(path)
        assert pages.check(name) == [], name
    pages.open("/language/en?next=/")
    assert "Sign in" in text(pages.driver)
    assert pages.check("home-en") == []
    pages.open("/report" if SUPERVISION else "/report/status")
    assert pages.check("report-en" if SUPERVISION else "report-follow-en") == []
    pages.open("/language/zh?next=/")
    assert pages.check("home-phone", width=390) == []


def test_the_web_front_logs_no_client_address(site, pages) -> None:
    log = (site["workdir"] / f"web-{site['web'].rsplit(':', 1)[1]}.log").read_text()
    assert '"GET /' not in log and '"POST /' not in log  # no access log lines at all
