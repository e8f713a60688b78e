"""Public notice in the browser: the notices from the nomination service, an objection raised
from a notice (kind `objection`, the nomination prefilled), and the organization department's
direct nomination, decided by the Party secretary and put on notice."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import wait_for
from tests.browser.test_nomination_flow import fill, text
from tests.support.people import Person


def test_the_public_objects_to_a_nomination_on_notice(pages, backdoor) -> None:
    driver = pages.driver
    nomination_id = backdoor.on_notice(Person("c-301", "cadre", "county-3", "陈洁"), "商务局副局长")
    pages.sign_out()
    pages.open("/notices")
    assert "陈洁" in text(driver) and "商务局副局长" in text(driver) and "24:00" in text(driver)
    assert pages.check("notices") == []
    pages.click(f"a[href*='nomination_id={nomination_id}']")
    assert "提出异议" in text(driver) and "陈洁" in text(driver)
    assert not driver.find_elements(By.NAME, "category")  # an objection needs no category
    assert pages.check("objection") == []
    fill(driver, {"description": "该同志在项目招标中收受过礼金。"})
    pages.click("main form button[type=submit]")
    assert len(driver.find_element(By.ID, "receipt").get_attribute("data-receipt")) == 16

    pages.sign_in("v-001")
    pages.open("/cases?kind=objection")
    assert "对公示对象的异议" in text(driver)
    assert pages.check("cases-objections") == []


def test_the_organization_department_puts_a_cadre_forward_directly(pages) -> None:
    driver = pages.driver
    pages.sign_in("o-001")
    pages.open("/nominations/direct")
    pages.click("main form button[type=submit]")  # empty: the service's reasons by their fields
    assert driver.find_elements(By.CSS_SELECTOR, "#justification[aria-invalid=true]"), text(driver)
    assert pages.check("direct-errors") == []
    fill(
        driver,
        {
            "cadre.id": "c-302",
            "cadre.name": "周航",
            "cadre.unit": "county-5",
            "target_position.title": "开发区管委会主任",
            "target_position.organization": "高新技术开发区",
            "justification": "担任副职期间牵头建成港口项目，提前两年投产。",
        },
    )
    pages.click("main form button[type=submit]")
    assert "/reviews/" in driver.current_url and "直接提名" in text(driver)
    nomination_id = driver.current_url.rsplit("/", 1)[1]
    assert pages.check("direct-created") == []

    pages.sign_in("s-001")
    pages.open(f"/reviews/{nomination_id}")
    wait_for(lambda: driver.find_elements(By.ID, "decision-approve") or pages.open(f"/reviews/{nomination_id}"))
    driver.find_element(By.ID, "decision-approve").click()
    pages.click("form[action$='/decision'] button[type=submit]")
    pages.open(f"/reviews/{nomination_id}")
    assert "公示中" in text(driver)
    pages.open("/notices")
    wait_for(lambda: "周航" in text(driver) or pages.open("/notices"))
