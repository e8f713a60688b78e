"""The public, without an account: report a clue and follow it with the receipt; the board with
real figures, the commitments (one published in the browser), every public page in both
languages and at a phone's width."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.test_nomination_flow import fill, text


def test_a_member_of_the_public_reports_a_clue_and_follows_it_with_the_receipt(pages) -> None:
    driver = pages.driver
    pages.sign_out()
    pages.open("/report")
    assert pages.check("report") == []
    pages.click("main form button[type=submit]")  # nothing filled in: the service's reasons, by their fields
    assert driver.find_elements(By.CSS_SELECTOR, "#description[aria-invalid=true]"), text(driver)
    assert pages.check("report-errors") == []
    driver.find_element(By.ID, "kind-cadre").click()
    driver.find_element(By.CSS_SELECTOR, "#category option[value=never-available]").click()
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
    fill(driver, {"receipt": "0000 0000 0000 0000"})
    pages.click("main form button[type=submit]")
    assert "没有与此查询码对应的反映" in text(driver)
    fill(driver, {"receipt": " ".join(receipt[i : i + 4] for i in range(0, 16, 4))})
    pages.click("main form button[type=submit]")
    assert receipt not in driver.current_url
    assert "已收到" in text(driver)
    fill(driver, {"text": "补充：上周三又一次无人办理。"})
    pages.click("form[action='/report/messages'] button")
    assert "补充：上周三又一次无人办理。" in text(driver) and "留言已发送" in text(driver)
    assert pages.check("report-status") == []


def test_the_board_shows_real_figures_and_a_unit_publishes_its_commitment(pages, backdoor) -> None:
    driver = pages.driver
    cell = [  # one cell of the board with enough cases to be shown: 4 received, 2 substantiated
        backdoor.clue(visitor=f"192.0.2.{10 + i}", subject={"name": f"孙某{i}", "unit": "county-9"})["case_id"]
        for i in range(4)
    ]
    backdoor.rectify(cell[0], "county-9", effective=True)  # rectified
    backdoor.rectify(cell[1], "county-9", effective=False)  # reopened: ordered again, one level up
    backdoor.clue(visitor="192.0.2.20", kind="matter", category="public-services", subject={"unit": "county-9"})
    pages.sign_out()
    pages.open("/board")
    row = driver.find_element(By.XPATH, "//tr[th[contains(., '平时不吭声、有事找不到 · county-9')]]")
    assert [td.text for td in row.find_elements(By.CSS_SELECTOR, "td.num")][:4] == ["4", "2", "1", "1"]
    assert driver.find_elements(By.CSS_SELECTOR, "svg.bars rect.m-received[width='100.0']")
    assert pages.check("board") == []

    pages.sign_in("u-001")
    pages.open("/commitments")
    fill(driver, {"text": "决不躺平，有事找我们。", "supervision_phone": "电话"})
    pages.click("form[action='/commitments'] button[type=submit]")
    assert "请输入电话号码" in text(driver)
    fill(driver, {"supervision_phone": "0377-63123456"})
    pages.click("form[action='/commitments'] button[type=submit]")
    assert "已公开" in text(driver) or "0377-63123456" in text(driver)
    pages.sign_out()
    pages.open("/commitments")
    assert "决不躺平，有事找我们。" in text(driver) and "0377-63123456" in text(driver)
    assert pages.check("commitments") == []


def test_every_public_page_is_accessible_in_both_languages(pages) -> None:
    pages.sign_out()
    pages.open("/")
    assert pages.check("home") == []
    pages.open("/language/en?next=/")
    assert "Sign in" in text(pages.driver)
    assert pages.check("home-en") == []
    for path, name in (("/report", "report-en"), ("/board", "board-en"), ("/notices", "notices-en")):
        pages.open(path)
        assert pages.check(name) == [], name
    pages.open("/language/zh?next=/")
    assert pages.check("home-phone", width=390) == []
    pages.open("/board")
    assert pages.check("board-phone", width=390) == []


def test_the_web_front_logs_no_client_address(site, pages) -> None:
    log = (site["workdir"] / f"web-{site['web'].rsplit(':', 1)[1]}.log").read_text()
    assert '"GET /' not in log and '"POST /' not in log  # no access log lines at all
