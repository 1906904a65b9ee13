"""seminar_page.parse: the real joint-seminar page, our HTML/GB2312 fixtures, charsets, failures."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.models import TALK_CANCELLED, TALK_SCHEDULED, ParseError
from jobs.sources import seminar_page

DATA = Path(__file__).resolve().parents[2] / "data" / "seminar"
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
SEED_PAGE = SEEDS / "joint-ml-seminar-page.txt"
NOW = datetime(2023, 9, 1, tzinfo=UTC)

# Every talk on the seed page, read off the page by hand: 9:30-11:30 in Beijing is
# 01:30-03:30 UTC. (start UTC, end UTC, speakers, affiliation, title)
AM = ("01:30", "03:30")
SEED_TALKS = [
    ("2021-11-27", AM, ["王宇航"], "北京深势科技有限公司", "冷冻电镜原理及相关算法"),
    ("2021-11-27", AM, ["朱通"], "华东师范大学", "基于神经网络实现碳氢燃料的燃烧模拟"),
    ("2021-10-30", AM, ["Shijun Zhang"], "National University of Singapore",
     "Deep Network Approximation: Achieving Arbitrary Error with Fixed Size"),
    ("2021-10-30", AM, ["Haizhao Yang"], "Purdue University",
     "Deep Network Approximation: Error Characterization in term of Width and Depth"),
    ("2021-10-17", AM, ["Yaoyu Zhang"], "Shanghai Jiao Tong University",
     "Embedding Principle of Loss Landscape of Deep Neural Networks"),
    ("2021-10-17", AM, ["Ruoyu Sun"], "University of Illinois at Urbana-Champaign",
     "Global Loss Landscape of Neural Networks: What do We Know and What do We Not Know?"),
    ("2021-09-25", AM, ["Mengdi Wang"], "Princeton University",
     "Some theoretical results on model-based reinforcement learning"),
    ("2021-09-25", AM, ["Wen Sun"], "Cornell University",
     "Policy Cover Guided Exploration in Model-free and Model-based Reinforcement Learning"),
    ("2021-09-11", AM, ["Le Lu (吕乐)"], "PhD, FIEEE, MICCAI Board Member, AE for TPAMI",
     "In Search of Effective and Reproducible Clinical Imaging Biomarkers for Population "
     "Health and Oncology Applications of Screening, Diagnosis and Prognosis."),
    ("2021-08-28", AM, ["Lexing Ying"], "Stanford University",
     "Deep Learning for inverse problems"),
    ("2021-08-28", AM, ["Hui ji"], "National University of Singapore",
     "Self-supervised Deep Learning for Solving Inverse Problems in Imaging"),
    ("2021-08-14", AM, ["Jinchao Xu"], "Pennsylvania State University", "Barron Spaces"),
    ("2021-08-14", AM, ["Arnulf Jentzen"],
     "Applied Mathematics: Institute for Analysis and Numerics, Faculty of Mathematics and "
     "Computer Science, University of Muenster, Germany; School of Data Science and Shenzhen "
     "Research Institute of Big Data, The Chinese University of Hong Kong, Shenzhen, China",
     "Convergence analysis for the gradient descent optimization method in the training of "
     "artificial neural networks with ReLU activation for piecewise linear target functions"),
    ("2021-07-31", AM, ["董彬"], "北京大学", "Learning and Learning to Solve PDEs"),
    ("2021-07-31", AM, ["李宗宜"], "加州理工学院",
     "Neural Operator: Learning Maps Between Function Spaces"),
    ("2021-07-17", AM, ["许志钦 (Zhi-Qin John Xu)"], "上海交通大学", "Frequency Principle"),
    ("2021-07-03", AM, ["王涵"], "北京应用物理与计算数学研究所", "基于深度学习的分子动力学模拟"),
    ("2021-07-03", AM, ["张林峰"], "北京大数据研究院、深势科技",
     "DeePKS: a machine learning assisted electronic structure model"),
    ("2021-06-19", AM, ["Zhong Li", "Qianxiao Li"], None,
     "Modelling Temporal Data: from RNNs to CNNs"),
    ("2021-06-05", AM, ["Lei Wu"], None, "Implicit biases of SGD for neural network models"),
    ("2021-06-05", AM, ["Yuhai Tu"], "IBM T. J. Watson Research Center",
     "The landscape-dependent annealing strategy in machine learning: How "
     "Stochastic-Gradient-Descent finds flat minima"),
    ("2021-06-05", AM, ["Stephan Wojtowytsch"], "Princeton University",
     "Stochastic gradient descent for noise with ML-type scaling"),
    ("2021-05-22", AM, ["Jirong Wen"], None,
     "Learn like a child: super-large-scale multi-modal pre-training model"),
    ("2021-05-22", AM, ["Zhiyuan Liu"], None, "Knowledge-guided pre-training language model"),
    ("2021-05-09", AM, ["Han Wang"], None, "Introduction to Reinforced Dynamics"),
    ("2021-05-09", AM, ["Lei Wang"], None, "Flow Model: A Computational Physics Perspective"),
    ("2021-04-17", ("02:30", "03:30"), ["Zhiqin John Xu"], None,
     "Understand the training process of neural networks"),
    ("2021-04-17", ("01:30", "02:30"), ["Qianxiao Li"], None,
     "Machine Learning and Dynamical Systems"),
    ("2021-04-03", ("02:30", "03:30"), ["Lei Wu"], None,
     "Neural network and high-dimensional function approximation"),
    ("2021-04-03", ("01:30", "02:30"), ["Jiequn Han"], None,
     "Use deep learning to solve high-dimensional control problems"),
    # The last three have no Title label: the heading line above each names the lecture.
    ("2020-11-15", ("02:00", "04:00"), ["Linfeng Zhang"], None,
     'The 3rd course of 2020 "Deep Learning Fundamentals and Practice"'),
    ("2020-11-08", ("02:00", "04:00"), ["Lei Wu"], None,
     'The 2nd course of 2020 "Deep Learning Fundamentals and Practice"'),
    ("2020-11-01", ("02:00", "04:00"), ["Weinan E"], None,
     'The 1st course of 2020 "Deep Learning Fundamentals and Practice"'),
]


@pytest.fixture(scope="module")
def seed():
    if not SEED_PAGE.exists():
        pytest.skip(f"the shared seed page is not beside this checkout ({SEED_PAGE})")
    return seminar_page.parse(SEED_PAGE.read_bytes(), "joint-ml", timezone="Asia/Shanghai",
                              content_type="text/plain; charset=utf-8", now=NOW)


def test_seed_page_yields_every_talk_with_title_speaker_affiliation_and_time(seed):
    got = [(t.start.isoformat(), t.end.isoformat(), t.speakers, t.affiliation, t.title)
           for t in seed.talks]
    want = [(f"{day}T{start}:00+00:00", f"{day}T{end}:00+00:00", speakers, affiliation, title)
            for day, (start, end), speakers, affiliation, title in SEED_TALKS]
    assert got == want
    assert seed.warnings == []


def test_seed_page_shares_the_session_meeting_with_both_talks_of_the_day(seed):
    first, second = seed.talks[:2]
    for talk in (first, second):
        assert talk.meeting_url == "https://meeting.tencent.com/dm/p1q2HxwW3x4r"
        assert talk.meeting_id == "329744341"
        assert talk.meeting_password == "974114"
        assert talk.livestream_url is None  # "bilibili living room" is not a link
    assert first.bio.startswith("王宇航(深势科技电镜算法研究员),毕业于")
    assert second.bio.startswith("朱通,2013年博士毕业于")
    assert all(t.meeting_url is None for t in seed.talks[2:])


def test_seed_page_keeps_links_abstracts_and_metadata(seed):
    by_title = {t.title: t for t in seed.talks}
    zhang = by_title["Deep Network Approximation: Achieving Arbitrary Error with Fixed Size"]
    assert zhang.replay_url == "https://www.bilibili.com/video/BV1pf4y1u79M"
    assert zhang.homepage == "https://shijunzhang.top/"
    assert zhang.slides_url is None  # "Slides: Install" names a link the text lost
    tu = next(t for t in seed.talks if t.speakers == ["Yuhai Tu"])
    assert tu.abstract.startswith("Despite tremendous success")
    assert "Reference:" in tu.abstract and tu.abstract.endswith("abf5b9/pdf")
    temporal = by_title["Modelling Temporal Data: from RNNs to CNNs"]
    assert temporal.abstract.split("\n\n")[1].startswith("We also study")
    han = next(t for t in seed.talks if t.speakers == ["Jiequn Han"])
    assert "course" not in han.abstract and han.abstract.endswith("this field.")
    assert {t.series for t in seed.talks} == {"Machine Learning and Scientific Application"}
    assert {t.timezone for t in seed.talks} == {"Asia/Shanghai"}
    assert by_title["冷冻电镜原理及相关算法"].language == "zh"
    assert by_title["Barron Spaces"].language == "en"
    keys = [t.key for t in seed.talks]
    assert len(set(keys)) == len(keys) and all(len(k) == 16 for k in keys)
    assert {t.status for t in seed.talks} == {TALK_SCHEDULED}


def test_english_page_with_separate_date_and_time_lines():
    result = seminar_page.parse((DATA / "colloquium.html").read_bytes(), "colloq",
                                timezone="America/Los_Angeles",
                                content_type="text/html; charset=utf-8", now=NOW)
    art, sparse, cancelled, matrices = result.talks
    assert art.title == "Mathematics and Art: Reconstructing the Ghent Altarpiece"
    assert art.url == "https://math.example.edu/colloquium/2023-08-25"
    assert (art.speakers, art.affiliation) == (["Ingrid Daubechies"], "Duke University")
    # Friday, Aug. 25, 2023, 3:30 p.m. - 5:00 p.m. PDT (UTC-7)
    assert art.start == datetime(2023, 8, 25, 22, 30, tzinfo=UTC)
    assert art.end == datetime(2023, 8, 26, 0, 0, tzinfo=UTC)
    assert art.meeting_url == "https://berkeley.zoom.us/j/95551234567"
    assert (art.meeting_id, art.meeting_password) == ("955 5123 4567", "314159")
    assert art.slides_url == "https://math.example.edu/slides/daubechies.pdf"
    assert "“Ghent Altarpiece”" in art.abstract and "mathematics & art" in art.abstract
    assert (sparse.speakers, sparse.affiliation) == (["Jane Doe"], "Stanford University")
    assert sparse.start == datetime(2023, 9, 8, 22, 30, tzinfo=UTC)
    assert sparse.bio.startswith("Jane Doe is an assistant professor")
    assert (cancelled.title, cancelled.status) == ("Optimal Transport in Machine Learning",
                                                   TALK_CANCELLED)
    assert cancelled.speakers == ["John Roe"]
    # "Friday, Oct. 6" has no year: the one nearest to now (September 2023).
    assert (matrices.start, matrices.end) == (datetime(2023, 10, 6, 19, 0, tzinfo=UTC),
                                              datetime(2023, 10, 6, 20, 0, tzinfo=UTC))
    assert matrices.replay_url == "https://www.youtube.com/watch?v=abc123XYZ"
    assert art.series == "Applied Mathematics Colloquium | Department of Mathematics"
    [warning] = result.warnings
    assert "Title to be announced" in warning and "TBA" in warning


def test_conference_program_session_yields_one_talk_per_speaker():
    result = seminar_page.parse((DATA / "workshop-program.html").read_bytes(), "ws",
                                timezone="Asia/Shanghai", now=NOW)
    got = [(t.speakers, t.affiliation, t.title, t.start.hour, t.end.hour, t.chair)
           for t in result.talks]
    assert got == [
        (["Zongyi Li"], "California Institute of Technology",
         "Neural Operators for Parametric PDEs", 1, 2, "Weinan E"),
        (["Siddhartha Mishra"], "ETH Zurich", "Convolutional Neural Operators", 1, 2,
         "Weinan E"),
        (["Lu Lu"], "University of Pennsylvania", "DeepONet: Theory and Practice", 1, 2,
         "Weinan E"),
        (["许志钦"], "上海交通大学", "神经网络的频率原则", 3, 4, "董彬"),
        (["Arnulf Jentzen"], "University of Münster",
         "Convergence of Gradient Descent for ReLU Networks", 3, 4, "董彬"),
    ]
    assert {t.location for t in result.talks} == {"Lecture Hall, Jiayibing Building"}
    assert result.talks[0].abstract.endswith("turbulent flows.")  # no next speaker in it
    assert "Session 2" not in result.talks[2].abstract
    assert result.warnings == []


def test_missing_pieces_are_warnings_not_errors():
    text = ("Seminar\n\nTitle: A talk with no time\nSpeaker: Ann Example\n\n"
            "Speaker: Bob Example\nTime: 2023-05-05 10:00\n\n"
            "Time: 2023-05-06 10:00-11:00\nLocation: Room 5\n")
    result = seminar_page.parse(text.encode(), "s", timezone="UTC")
    [talk] = result.talks
    assert (talk.title, talk.speakers) == ("Talk by Bob Example", ["Bob Example"])
    assert talk.start == datetime(2023, 5, 5, 10, 0, tzinfo=UTC) and talk.end is None
    first, second, third = result.warnings
    assert "line 3" in first and "A talk with no time" in first and "no time" in first
    assert "line 6" in second and "no title" in second
    assert "line 9" in third and "no title or speaker" in third
    empty = seminar_page.parse(b"", "s", timezone="UTC")
    assert empty.talks == [] and "no talks" in empty.warnings[0]


def test_labels_alone_on_their_line_and_variant_spellings():
    text = ("Title：\nLearning dynamics\nReporter ： Weinan E\nTime：\n2021-11-27 9:30-11:30\n"
            "Tecent Meeting Link: https://meeting.tencent.com/dm/abc\n"
            "Tecent Meeting download link: https://meeting.tencent.com/download\n"
            "Alternate meeting ID (no password): 553 2421 7498\n会议号：329 744 341\n")
    [talk] = seminar_page.parse(text.encode(), "s", timezone="Asia/Shanghai").talks
    assert (talk.title, talk.speakers) == ("Learning dynamics", ["Weinan E"])
    assert talk.start == datetime(2021, 11, 27, 1, 30, tzinfo=UTC)
    assert talk.meeting_url == "https://meeting.tencent.com/dm/abc"
    assert talk.meeting_id == "329 744 341"


def test_key_is_stable_under_corrections_and_series_argument_wins():
    page = "Title: {t}\nSpeaker: Ann Example\nTime: 2023-05-04 {h}\n"

    def key(title: str, hour: str, **kw) -> str:
        data = page.format(t=title, h=hour).encode()
        return seminar_page.parse(data, "src", timezone="UTC", **kw).talks[0].key

    assert key("Draft", "10:00") == key("Final title", "14:00")
    assert key("Draft", "10:00") != key("Draft", "10:00", series="ML seminar")
    talk = seminar_page.parse(page.format(t="T", h="10:00").encode(), "src", timezone="UTC",
                              series="ML seminar").talks[0]
    assert talk.series == "ML seminar"


def test_unknown_time_zone_is_a_value_error():
    with pytest.raises(ValueError, match="time zone"):
        seminar_page.parse(b"Title: x\nTime: 2023-01-01 10:00", "s", timezone="Mars/Olympus")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["Time: 2023-05-04 10:00", "Title: T", "Speaker: Ann Lee",
                                 "Abstract:", "时间：8月1日", "报告人：张三", "", "x: y",
                                 "Zoom: https://z.us/j/1", "<p>", "</p>", "Heading"])
                | st.text(max_size=40), max_size=30))
def test_any_text_gives_talks_or_warnings_never_a_crash(lines):
    data = "\n".join(lines).encode("utf-8")
    try:
        result = seminar_page.parse(data, "fuzz", timezone="Asia/Shanghai", now=NOW)
    except ParseError:
        return
    for talk in result.talks:
        assert talk.title and talk.start is not None and talk.start.tzinfo is not None


def test_yearless_date_without_now_is_explained():
    text = "Title: Kernels\nSpeaker: Ann Lee\nTime: Aug. 25, 3:30 p.m.\n"
    result = seminar_page.parse(text.encode(), "s", timezone="UTC")
    assert result.talks == []
    assert "no year" in result.warnings[0] and "Kernels" in result.warnings[0]


def test_wrapped_chinese_title_joins_without_spaces():
    text = "报告题目：基于深度学习的\n分子动力学模拟\n报告人：王涵\n时间：2021-7-3 9:30-11:30\n"
    [talk] = seminar_page.parse(text.encode(), "s", timezone="Asia/Shanghai").talks
    assert talk.title == "基于深度学习的分子动力学模拟"


def test_same_speaker_twice_a_day_and_repeated_listings():
    talk = "Title: {t}\nSpeaker: Ann Lee\nTime: 2023-05-04 {h}\n\n"
    text = talk.format(t="Part I", h="10:00") + talk.format(t="Part II", h="14:00")
    result = seminar_page.parse((text * 3).encode(), "s", timezone="UTC")
    assert [t.title for t in result.talks] == ["Part I", "Part II"]
    assert len({t.key for t in result.talks}) == 2
    assert len(result.warnings) == 4 and all("listed twice" in w for w in result.warnings)


def test_page_and_session_details_reach_every_talk_they_cover():
    text = ("Zoom: https://zoom.us/j/42\n\n"
            "Date: 2023-05-04\nVenue:\nRoom 5\nChair: Ann Lee\n\n"
            "Time: 10:00-10:30\nSpeaker: Bob Stone\nTitle: One\n\n"
            "Time: 10:30-11:00\nSpeaker: Cy Young\nTitle: Two\n\n"
            "Date: 2023-05-05\nTime: 9:00\nSpeaker: Dee Park\nTitle: Three\n")
    talks = seminar_page.parse(text.encode(), "s", timezone="UTC").talks
    assert [(t.title, t.start.isoformat(), t.location, t.chair) for t in talks] == [
        ("One", "2023-05-04T10:00:00+00:00", "Room 5", "Ann Lee"),
        ("Two", "2023-05-04T10:30:00+00:00", "Room 5", "Ann Lee"),
        ("Three", "2023-05-05T09:00:00+00:00", None, None),
    ]
    assert {t.meeting_url for t in talks} == {"https://zoom.us/j/42"}
