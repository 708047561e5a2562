"""Write a report text as a government portal's web page, in UTF-8 or GBK: menu, breadcrumb,
sidebar, footer and scripts around the article, laid out in divs or in nested tables. Also the
rule, shared with the Word writer of bench/convert.py, for which lines become headings."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence


def heading_level_of(line: str) -> int:
    """The heading level a written document gives this line (numbered headings as
    indexer.paragraphs reads them, short and without a full stop); 0 for body text."""
    from indexer.paragraphs import heading_level

    level = heading_level(line)
    return level if level and len(line) <= 40 and not re.search("[。；]", line) else 0


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>{title}_杭州市拱墅区人民政府</title>
{pubdate}
<link rel="stylesheet" href="/css/site.css">
<script>var _hmt = _hmt || []; document.write("<p>统计代码加载中，请稍候。</p>");</script>
</head>
<body>
<div class="topbar"><a href="/">首页</a> | <a href="/wza">无障碍</a> |
<a href="/old">适老模式</a></div>
<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></nav>
<div class="crumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt;
<a href="/zfgzbg">政府工作报告</a></div>
<div class="main">
<article class="content">
<h1>{title}</h1>
<div class="info">{dateline}浏览次数：<span>2871</span></div>
{body}
</article>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
</div>
<aside class="sidebar"><h3>相关报告</h3><ul>
{sidebar}
</ul></aside>
<footer><p>主办：杭州市拱墅区人民政府办公室 | 技术支持：某某网络公司</p>
<p>Copyright © 2018 杭州市拱墅区人民政府 版权所有</p>
<p>浙ICP备12345678号-1　浙公网安备 33010502000001号　网站标识码：3301050001</p></footer>
<script src="/js/share.js"></script>
<script>window.onload = function () {{ console.log("页面加载完成。"); }};</script>
</body></html>
"""


# The same page laid out in tables, as many government portals still are: the article's
# paragraphs in a cell of a table nested in a cell of the page's table.
_TABLE_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head>
<meta charset="{charset}">
<title>{title}_杭州市拱墅区人民政府</title>
{pubdate}
<script>var _hmt = _hmt || []; document.write("<p>统计代码加载中，请稍候。</p>");</script>
</head>
<body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td colspan="2" class="topbar"><a href="/">首页</a> | <a href="/wza">无障碍</a> |
<a href="/old">适老模式</a></td></tr>
<tr><td colspan="2"><table class="menu"><tr><td><a href="/">首页</a></td>
<td><a href="/zwgk">政务公开</a></td><td><a href="/zwfw">政务服务</a></td>
<td><a href="/hdjl">互动交流</a></td></tr></table></td></tr>
<tr><td colspan="2" class="crumb">您现在的位置：<a href="/">首页</a> &gt;
<a href="/zwgk">政务公开</a> &gt; <a href="/zfgzbg">政府工作报告</a></td></tr>
<tr><td width="740" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td class="title" align="center"><h1>{title}</h1></td></tr>
<tr><td class="info" align="center">{dateline}浏览次数：<span>2871</span></td></tr>
<tr><td class="content">
{body}
</td></tr>
<tr><td class="share">分享到：<a href="#">微信</a> <a href="#">微博</a>
<a href="#">QQ空间</a></td></tr>
</table></td>
<td width="260" valign="top" class="sidebar"><table><tr><td><h3>相关报告</h3></td></tr>
{sidebar}
</table></td></tr>
<tr><td colspan="2" class="footer"><p>主办：杭州市拱墅区人民政府办公室 | 技术支持：某某网络公司</p>
<p>Copyright © 2018 杭州市拱墅区人民政府 版权所有</p>
<p>浙ICP备12345678号-1　浙公网安备 33010502000001号　网站标识码：3301050001</p></td></tr>
</table>
<script src="/js/share.js"></script>
<script>window.onload = function () {{ console.log("页面加载完成。"); }};</script>
</body></html>
"""


def to_html(
    text: str,
    title: str,
    date: str = "",
    others: Sequence[str] = (),
    encoding: str = "utf-8",
    tables: bool = False,
) -> bytes:
    """The text as a portal's page: menu, breadcrumb, share buttons, a sidebar listing other
    reports' titles, a footer and scripts around an article whose paragraphs are the text's
    lines (numbered lines as <h2>/<h3>), its title in <title> and <h1>, its date in a meta tag;
    with `tables`, the page laid out in nested tables."""
    body: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        line = line.strip()
        if not line:
            continue
        level = heading_level_of(line)
        tag = f"h{min(level, 2) + 1}" if level else "p"
        body.append(f"<{tag}>{html.escape(line, quote=False)}</{tag}>")
    item = '<li><a href="/r/{}">{}</a></li>'
    if tables:
        item = f"<tr><td>{item[4:-5]}</td></tr>"
    sidebar = "\n".join(item.format(i, html.escape(t)) for i, t in enumerate(others))
    charset = "gbk" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    page = (_TABLE_PAGE if tables else _PAGE).format(
        charset=charset,
        title=html.escape(title),
        pubdate=f'<meta name="PubDate" content="{date}">' if date else "",
        dateline=f"发布日期：{date}　　" if date else "",
        body="\n".join(body),
        sidebar=sidebar,
    )
    return page.encode(encoding, errors="xmlcharrefreplace")
