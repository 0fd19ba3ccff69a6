"""Fact-check a bulletin draft: prose -> numeric claims -> indicators -> verdicts.

The subpackage along its seams: ``text`` (the text as read and its working copy),
``figures`` (numbers and their units), ``qualifiers`` (the words that say how exact a
figure is and what role it plays), ``segments`` (sentences, clauses, a claim's own words),
``vocabulary`` and ``match`` (registry phrases next to a figure), ``extract`` (claims
assembled), ``verify`` (claims against the data), ``report`` (the table for people),
``lists`` (the grammar of lists, targets and verbs far from their figure), ``draft``
(text or .docx, the size limit), ``claims`` (the Claim and CheckResult records).

Before a 简报 goes to the district's leaders someone checks every figure by hand; this
module does it. ``extract_claims`` finds every numeric claim in Chinese bulletin prose
(the patterns and the noise of ``docs/prose.md``), ``check_text`` matches each claim to an
indicator of the registry (its phrasings and unit) and compares it with the value
``innolib.indicators.compute_indicators`` gives for the period, reading the qualifier
(约, 余, 近, 超过…) for how exact the figure claims to be.

How the text is read
  The text is normalised into a working copy (full-width forms to half-width, layout
  spaces and line breaks dropped, thousands separators dropped, a figure split across
  lines joined) that keeps, for every character, its offset in the text as read: spans
  always point into the original text, line breaks included.

What is a claim
  A number with its unit (家, 项, 个, 次, 亿元, %, 个百分点, 倍 …; a bare Arabic number of
  at most three digits when the measure word is missing, ``选聘12科技副总``), Chinese
  numerals included when a measure word follows (两批次, 一项, 三百余家; 三大 as a count).
  Not claims: years and dates (2025年, 1—9月, 10月31日), document numbers (〔2018〕97号),
  ordinals (第二批, 一是), anything inside quotation marks or book-title marks (slogans such
  as “两高四着力”, project titles), model names (5G), idioms (一批, 一次性, 千家万户).
  Nor table row numbers and numbers alone on their line (序号|…|1|…, a page number),
  footnote marks (superscripts; 1-2 digits glued after a unit: 4.7亿元1), list ordinals
  (1、 ① (1)), a page's view counter (浏览:0次), times (630下午), 二轮 (an ordinal: a count
  says 两), names (党的二十大, 十大…). A range (4到5场, 10%—20%) is one claim: ``value`` the
  lower end, ``value_max`` the upper, checked as value ≤ x ≤ value_max.
  Rankings (排名第三, 位居全市第二, 稳居全市前三, 跃居全省前40位) are claims of their own
  (the rank of whatever precedes them), never attached to the total.

Roles (``Claim.role``): ``value`` (the figure itself), ``current`` (由…增长至 *N*),
``base`` (由 *N*…, checked against the same period a year earlier), ``growth`` (同比增长
*N*%, 较上年增加 *N*家, 增长 *N* 倍, 提高 *N* 个百分点), ``share`` (占全市的 *N*%),
``comparison`` (高于全市平均水平 *N*), ``target`` (完成年度目标任务的 *N*%), ``rank``.
Shares, comparisons, targets and ranks need data beyond the package: they are reported
as unmatched.

Matching
  A claim matches an indicator when one of the indicator's registry phrases stands next
  to the number (before it, with only qualifiers such as 达/约/累计达到 between; or after
  its measure word, with only 企业/单位 between) and the claim's unit fits the indicator
  (亿元/万元/元 for money, % for rates, the unit or a measure word for counts). The longest
  phrase wins; two indicators tied on the longest phrase is ambiguous and the claim is
  unmatched: a claim is never guessed. Breakdown items (其中…, ``15家（新增7家、复核8家）``)
  whose own words name nothing are unmatched, never given their parent's indicator;
  ``各1项`` after ``A和B`` gives one claim per item; growth, base and 累计达到 figures
  without words of their own refer to the figure before them.

Verification (the data's value ``x`` in the claim's unit; figure ``v`` as written)
  exact        x rounds to v at the written precision (counts: equal; 3.18亿元:
               3.175 ≤ x < 3.185亿; 59%: 58.5 ≤ x < 59.5)
  约, 左右      the same rounding; an integer with trailing zeros is read to two
               significant figures at most (约120: 115 ≤ x < 125; 约1000: 950 ≤ x < 1050)
  余, 多        v ≤ x < v + one step of the last non-zero digit written
               (4.7亿余: 4.7 ≤ x < 4.8亿; 120余家: 120 ≤ x < 130; 100多家: 100 ≤ x < 200)
  以上          x ≥ v
  超过, 突破, 逾 x > v
  近, 接近      0.9·v ≤ x < v  ("a little under": within ten percent below)
  不足, 不到     x < v
  不少于, 不低于 x ≥ v;  不超过, 不高于, 以内: x ≤ v
  Growth claims compare with the indicator's change against the same period a year
  earlier: % as relative change, 倍 as relative change / 100 (增长1.6倍 = +160%),
  个百分点 as the difference of a rate, a count or money unit as the absolute difference;
  下降/减少 make the claimed change negative.
"""

from innolib.factcheck.claims import CheckResult, Claim
from innolib.factcheck.draft import MAX_DRAFT_BYTES, Draft, read_draft
from innolib.factcheck.extract import extract_claims
from innolib.factcheck.report import format_claims
from innolib.factcheck.verify import check_claims, check_text, holds, interval

__all__ = [
    "MAX_DRAFT_BYTES",
    "CheckResult",
    "Claim",
    "Draft",
    "check_claims",
    "check_text",
    "extract_claims",
    "format_claims",
    "holds",
    "interval",
    "read_draft",
]
