import altair as alt
import pandas as pd

from coproduce.core.charts import ChartTable, csv_response, render_chart


def small_chart() -> alt.Chart:
    data = pd.DataFrame({"sector": ["Safety", "Health"], "estimate": [45.0, 54.0]})
    return alt.Chart(data).mark_bar().encode(x="estimate:Q", y="sector:N")


TABLE = ChartTable(
    columns=["Sector", "Index"],
    rows=[["Safety", "45.0"], ["Health", "54.0"]],
    numeric=[False, True],
)


def test_a_chart_is_drawn_as_svg_on_the_server_with_its_spec_and_table() -> None:
    chart = render_chart(
        slug="index", title="Index", summary="Health is highest.", chart=small_chart(), table=TABLE
    )
    assert chart.svg.startswith("<svg")
    assert "Safety" in chart.svg
    assert chart.spec["mark"]["type"] == "bar"
    assert chart.spec_element_id == "chart-index-spec"


def test_the_numbers_of_a_chart_download_as_csv() -> None:
    response = csv_response(TABLE, filename="index.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="index.csv"' in response["Content-Disposition"]
    assert response.content.decode().splitlines() == ["Sector,Index", "Safety,45.0", "Health,54.0"]
