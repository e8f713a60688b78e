"""A cadre submits in the browser, three reviewers approve in the browser, the cadre finds the
outcome in the inbox (on public notice, in Chinese); a reviewer with a stale screen gets a clear
message."""

from __future__ import annotations

import requests
from selenium.webdriver.common.by import By

from tests.browser.conftest import wait_for
from tests.support.people import Person

REVIEWERS = (("u-001", "unit"), ("o-001", "org_department"), ("s-001", "secretary"))


def fill(driver, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "main").text


def submit_nomination(pages) -> str:
    driver = pages.driver
    pages.sign_in("c-001")
    assert pages.check("home-cadre") == []
    pages.open("/nominations/new")
    assert pages.check("nomination-new") == []
    pages.click("main form button[type=submit]:not([name])")  # nothing filled in
    assert driver.find_elements(By.CSS_SELECTOR, "#target_position-title[aria-invalid=true]"), text(driver)
    assert pages.check("nomination-new-errors") == []
    driver.find_element(By.ID, "channel-unit").click()
    fill(
        driver,
        {
            "target_position.title": "副县长",
            "target_position.organization": "淅川县人民政府",
            "statement": "在乡村振兴一线工作十二年，擅长抓项目落地。",
            "achievements.0.title": "建成县电商服务中心",
            "achievements.0.description": "两年内农产品网络销售额增长40%",
            "commitment": "三年内工作业绩争创全省、全国一流。",
        },
    )
    pages.click("button[name=add_achievement]")
    assert len(driver.find_elements(By.CSS_SELECTOR, "fieldset.row")) == 4
    fill(driver, {"achievements.3.title": "牵头完成易地搬迁安置", "achievements.3.description": "安置群众1,200户"})
    pages.click("main form button[type=submit]:not([name])")
    assert "/nominations/" in driver.current_url
    assert "牵头完成易地搬迁安置" in text(driver)
    assert pages.check("nomination-submitted") == []
    return driver.current_url.rsplit("/", 1)[1]


def decide_in_browser(pages, person_id: str, nomination_id: str, shot: str | None = None) -> None:
    driver = pages.driver
    pages.sign_in(person_id)
    pages.open("/reviews")
    wait_for(
        lambda: driver.find_elements(By.CSS_SELECTOR, f"a[href='/reviews/{nomination_id}']") or pages.open("/reviews")
    )
    if shot:
        assert pages.check(f"{shot}-queue") == []
    pages.click(f"a[href='/reviews/{nomination_id}']")
    if shot:
        assert pages.check(f"{shot}-review") == []
    driver.find_element(By.ID, "decision-approve").click()
    fill(driver, {"comment": "同意，进入下一环节。"})
    pages.click("form[action$='/decision'] button[type=submit]")
    assert driver.current_url.endswith("/reviews")


def test_a_nomination_submitted_and_approved_in_the_browser_reaches_the_cadres_inbox(pages) -> None:
    driver = pages.driver
    nomination_id = submit_nomination(pages)
    for person_id, stage in REVIEWERS:
        decide_in_browser(pages, person_id, nomination_id, shot=f"reviewer-{stage}" if stage == "unit" else None)
    pages.sign_in("c-001")
    pages.open("/inbox")
    wait_for(lambda: "进入公示" in text(driver) or pages.open("/inbox"))
    assert "拟任“副县长”，进入任前公示" in text(driver)  # the notification, told in Chinese
    assert pages.check("inbox-cadre") == []
    unread = driver.find_elements(By.CSS_SELECTOR, "li.unread")
    pages.click("li.unread form button")
    assert len(driver.find_elements(By.CSS_SELECTOR, "li.unread")) == len(unread) - 1
    pages.open(f"/nominations/{nomination_id}")
    assert "公示中" in text(driver) and "公示截止" in text(driver) and "24:00" in text(driver)
    assert pages.check("nomination-on-notice") == []
    pages.open("/nominations")
    assert pages.check("nominations-mine") == []


def test_a_reviewer_whose_screen_went_stale_is_told_and_shown_the_current_state(pages, site) -> None:
    driver = pages.driver
    nomination_id = submit_nomination(pages)
    pages.sign_in("u-001")
    pages.open(f"/reviews/{nomination_id}")
    other = Person("u-002", "unit_reviewer", "county-7", "另一位审核人")  # decides first, through the API
    wait_for(
        lambda: (
            requests.post(
                f"{site['review']}/api/v1/reviews/{nomination_id}/decisions",
                json={"stage": "unit", "decision": "approve"},
                headers=other.headers,
                timeout=10,
            ).status_code
            == 200
        )
    )
    driver.find_element(By.ID, "decision-return").click()
    pages.click("form[action$='/decision'] button[type=submit]")
    alert = driver.find_element(By.CSS_SELECTOR, ".notice.warn[role=alert]")
    assert alert.is_displayed()
    assert "组织部" in text(driver)  # the current state: the next stage is open now
    assert pages.check("review-stale") == []
