"""The paper corpus of bench/papers.py (and of bench/load_world.py's feeds): distinct papers
recombined from the seed titles and abstracts, with name pools, categories, title endings
and a share of Chinese papers; deterministic and generated lazily."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from bench.common import read_seeds, sentences
from bot.models import Paper

CATEGORIES = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "stat.ML", "cs.NE", "cs.RO", "cs.IR",
              "cs.CR", "cs.DS", "cs.SD", "eess.IV", "eess.SP", "eess.AS", "math.OC",
              "math.ST", "q-bio.BM", "q-bio.NC", "q-bio.QM", "physics.comp-ph",
              "physics.chem-ph", "cond-mat.dis-nn", "quant-ph", "astro-ph.IM", "econ.EM"]
FIRST = ["Ada", "Alan", "Grace", "Omar", "Lena", "Mateo", "Priya", "Kofi", "Ingrid", "Yusuf",
         "Sofia", "Tomas", "Amara", "Noah", "Elif", "Ravi", "Hana", "Lucas", "Zara", "Ivan",
         "Wei", "Mei", "Yuhang", "Jing", "Hao", "Xin", "Li", "Jun", "Yan", "Qiang", "Ming",
         "Tao", "Lei", "Fang", "Min", "Hui", "Kenji", "Yuki", "Ji-woo", "Minh"]
LAST = ["Lovelace", "Turing", "Hopper", "Haddad", "Fischer", "Garcia", "Sharma", "Mensah",
        "Larsen", "Demir", "Rossi", "Novak", "Okafor", "Smith", "Yilmaz", "Iyer", "Sato",
        "Martin", "Khan", "Petrov", "Chen", "Wang", "Zhang", "Li", "Liu", "Yang", "Huang",
        "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "Tanaka", "Kim", "Park",
        "Nguyen", "Hinton", "Bengio", "Schmidhuber", "Vapnik", "Jordan", "Ng", "Pearl"]
# A few names that are rare on purpose (about 1 paper in 20,000 has one).
RARE_AUTHORS = ["Srinivasa Ramanujan", "Emmy Noether", "Sofia Kovalevskaya", "Kurt Godel",
                "Hypatia Alexandria", "Maryam Mirzakhani", "Shiing-Shen Chern"]
# Title endings, common ones first; the tail makes a spread of rare title words.
DOMAINS = ["Vision", "Language", "Graphs", "Robotics", "Speech", "Proteins", "Molecules",
           "Time Series", "Recommendation", "Healthcare", "Climate", "Finance",
           "Autonomous Driving", "Medical Imaging", "Materials Discovery", "Code Generation",
           "Single-Cell Genomics", "Cryo-EM Reconstruction", "Weather Forecasting",
           "Particle Physics", "Neuroscience", "Tabular Data", "Point Clouds", "Satellite Imagery",
           "Drug Design", "Music", "Legal Documents", "Education", "Agriculture", "Astronomy",
           "Seismology", "Zebrafish Behaviour", "Tokamak Plasma Control", "Coral Reef Monitoring",
           "Glacier Dynamics", "Exoplanet Transits", "Beekeeping", "Archaeological Pottery"]
CONNECTORS = [" for ", " in ", " with Applications to ", ": A Case Study in "]
PREFIXES = ["Scalable", "Robust", "Efficient", "Provable", "Sparse", "Adaptive", "Bayesian",
            "Federated", "Causal", "Contrastive", "Hierarchical", "Differentiable", "Online",
            "Multimodal", "Lightweight", "Interpretable", "Distributed", "Unsupervised",
            "Self-Supervised", "Few-Shot", "Zero-Shot", "Continual", "Private", "Fair",
            "Quantized", "Equivariant", "Stochastic", "Implicit", "Generative", "Neural",
            "Probabilistic", "Geometric", "Structured", "Universal", "Certified", "Fast",
            "Accelerated", "Decentralized", "Energy-Efficient", "Uncertainty-Aware"]
ZH_PHRASES = ["冷冻电镜", "神经网络", "分子动力学", "扩散模型", "强化学习", "深度学习",
              "大语言模型", "图神经网络", "蛋白质结构预测", "注意力机制", "自监督学习",
              "计算机视觉", "自然语言处理", "生成模型", "知识蒸馏", "联邦学习", "因果推断",
              "贝叶斯优化", "单颗粒分析", "量子计算", "医学图像分割", "对比学习", "多模态融合",
              "时间序列预测", "推荐系统", "语音识别", "机器翻译", "优化算法", "材料设计",
              "气象预报"]
ZH_TITLES = ["基于{a}的{b}方法", "{a}在{b}中的应用", "面向{b}的{a}研究", "{a}与{b}综述",
             "一种结合{a}和{b}的新框架"]
ZH_SENTENCES = ["本文提出一种结合{a}与{b}的新方法。", "我们在{a}任务上验证了{b}的有效性。",
                "实验表明，该方法在{a}基准上优于现有的{b}方法。", "{a}近年来受到广泛关注。",
                "我们分析了{a}的理论性质，并讨论了{b}的局限。",
                "代码与数据将公开发布，以促进{a}研究。"]
ZH_AUTHORS = ["王宇航", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴晓明"]
CHINESE_SHARE = 0.015


class Corpus:
    """Distinct papers recombined from seed titles and abstracts; deterministic, lazy."""

    def __init__(self, path: Path, seed: int = 20261123) -> None:
        titles, abstracts = read_seeds(path)
        self.heads, self.tails = zip(*(self._halves(t) for t in titles), strict=True)
        self.sentences = sentences(abstracts)
        self.seed = seed

    @staticmethod
    def _halves(title: str) -> tuple[str, str]:
        if ": " in title:
            head, tail = title.split(": ", 1)
            return head + ":", tail
        words = title.split()
        cut = max(1, len(words) // 2)
        return " ".join(words[:cut]), " ".join(words[cut:]) or "Revisited"

    def papers(self, count: int, start: datetime, end: datetime, *, first_number: int = 1,
               salt: int = 0) -> Iterator[Paper]:
        """`count` papers published from `start` to `end`, oldest first, ids per month."""
        rng = random.Random(self.seed * 1_000_003 + salt)
        step = (end - start) / max(1, count)
        month, number = "", first_number
        for n in range(count):
            published = (start + step * n).replace(second=0, microsecond=0)
            yymm = published.strftime("%y%m")
            if yymm != month:
                month, number = yymm, first_number
            arxiv_id = f"{yymm}.{number:05d}"
            number += 1
            yield self._paper(rng, arxiv_id, published)

    def _paper(self, rng: random.Random, arxiv_id: str, published: datetime) -> Paper:
        if rng.random() < CHINESE_SHARE:
            a, b = rng.sample(ZH_PHRASES, 2)
            title = rng.choice(ZH_TITLES).format(a=a, b=b)
            abstract = "".join(rng.choice(ZH_SENTENCES).format(a=rng.choice(ZH_PHRASES),
                                                               b=rng.choice(ZH_PHRASES))
                               for _ in range(rng.randint(3, 6)))
            authors = rng.sample(ZH_AUTHORS, rng.randint(1, 4))
        else:
            title = f"{rng.choice(self.heads)} {rng.choice(self.tails)}"
            if rng.random() < 0.7:
                title = f"{rng.choice(PREFIXES)} {title}"
            if rng.random() < 0.6:
                index = min(int(rng.expovariate(0.18)), len(DOMAINS) - 1)
                title += rng.choice(CONNECTORS) + DOMAINS[index]
            abstract = " ".join(rng.sample(self.sentences, rng.randint(4, 9)))
            authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                       for _ in range(rng.randint(1, 8))]
            if rng.random() < 0.00005:
                authors.append(rng.choice(RARE_AUTHORS))
        categories = [rng.choice(CATEGORIES[:6]) if rng.random() < 0.7
                      else rng.choice(CATEGORIES)]
        categories += rng.sample(CATEGORIES, rng.randint(0, 2))
        return Paper(id=f"arxiv:{arxiv_id}", title=title, source="arxiv",
                     url=f"https://arxiv.org/abs/{arxiv_id}", abstract=abstract,
                     authors=authors, categories=categories, published=published,
                     updated=published, arxiv_id=arxiv_id, version=1, announce_type="new",
                     pdf_url=f"https://arxiv.org/pdf/{arxiv_id}v1")
