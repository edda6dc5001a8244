"""A realistic synthetic corpus of ML papers for the benchmark.

Titles ~10 words and abstracts ~180 words drawn from an ML-flavoured vocabulary with Zipf-like
word frequencies (a few hundred real ML words at the head, then a long tail of made-up but
pronounceable words, as a real 100k-paper corpus has tens of thousands of rare terms), 1-10
authors from a pool of names (some prolific, most rare), dates spread over three years and ~30 %
with a code link. Deterministic for a given seed, so two runs see the same papers.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator

from tui.model import Paper, arxiv_abs_url, arxiv_pdf_url


def _words_of(text: str) -> list[str]:
    return text.split()


# The head of the distribution, most frequent first (stop words are mixed in as in real text).
HEAD_WORDS = _words_of(
    """
the of and a to in we for is that on with this model our by as are learning an from data
models can which be results method methods training performance show language approach
based neural tasks using propose network task large paper it deep new such framework at
these two its or existing propose image proposed problem state different information
present also work than across efficient generation via high multi both has art while
transformer attention diffusion reinforcement graph networks representation representations
benchmark benchmarks dataset datasets evaluation inference reasoning agents agent policy
optimization gradient loss function functions objective supervised unsupervised
self contrastive pretraining pretrained fine tuning alignment human feedback reward
vision visual video text multimodal generative adversarial autoencoder variational latent
space embedding embeddings token tokens sequence sequences context long short memory
retrieval augmented knowledge question answering dialogue instruction following prompt
prompting chain thought zero few shot transfer domain adaptation generalization robust
robustness adversarial attacks privacy federated distributed scalable scaling laws
parameters compute efficiency sparse mixture experts quantization pruning distillation
compression hardware accelerator kernel kernels convolutional recurrent layers layer
architecture architectures encoder decoder cross modal speech audio recognition detection
segmentation classification regression clustering causal causality inference bayesian
probabilistic uncertainty calibration estimation sampling monte carlo markov stochastic
theory theoretical analysis bounds convergence optimal online offline bandit bandits
planning control robotics robot manipulation navigation simulation physics molecular
protein drug discovery medical clinical healthcare imaging 3d point cloud rendering
neural radiance fields scene reconstruction pose estimation tracking motion temporal
spatial spatio graph node edge link prediction recommendation ranking search code
program synthesis software mathematical math theorem proving formal verification safety
interpretability explainability fairness bias evaluation hallucination factuality
editing watermarking detection synthetic generated real world open source released
experiments demonstrate outperforms significantly improves improvement achieves achieving
state-of-the-art competitive baseline baselines extensive empirical study studies survey
novel simple effective efficient lightweight fast accurate unified general generalist
foundation large-scale small scale emergent abilities capabilities limitations future
"""
)

_SYLLABLES = _words_of(
    "ra ko mi te lu sa ne vo ti pa qu ze bri tan lor mex vin dal sor gen cor tel fir nax pol "
    "dre sta kri mon vel zan tor pix lam ber gus hin jor ka le"
)

FIRST_NAMES = _words_of(
    """
Wei Li Yang Zhang Jun Chen Hao Wang Xin Liu Yu Lin Jie Huang Ming Zhou Lei Zhao Tao Wu Yan
Sun Feng Ma Anna Maria John David Michael Sarah Laura Thomas Daniel James Robert Emily Julia
Alex Peter Paul Mark Hannah Sophie Lucas Noah Oliver Elena Ivan Olga Dmitry Sergey Priya
Rahul Amit Ananya Arjun Kiran Neha Sanjay Fatima Omar Ali Hassan Yusuf Leila Kenji Yuki
Haruto Sakura Min-jun Ji-woo Seo-yeon Diego Carlos Lucia Mateo Valentina Geoffrey Yoshua Yann
"""
)

LAST_NAMES = _words_of(
    """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Smith
Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark
Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green
Kumar Singh Sharma Patel Gupta Das Tanaka Suzuki Sato Watanabe Kim Park Choi Jung Kang Cho
Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Rossi Russo Ferrari Esposito
Ivanov Smirnov Kuznetsov Popov Hinton Bengio LeCun Sutskever Vaswani Goodfellow
"""
)

CATEGORIES = ("cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR", "cs.NE")

TAIL_WORDS = 30_000  # made-up rare words after the head
AUTHOR_POOL = 40_000  # distinct author names
START_DATE = dt.date(2022, 1, 1)
DAYS = 3 * 365


class Corpus:
    """Generates papers; `papers(start, count)` is deterministic in (seed, start)."""

    def __init__(self, seed: int = 1) -> None:
        rng = random.Random(seed)
        tail: list[str] = []
        seen = set(HEAD_WORDS)
        while len(tail) < TAIL_WORDS:
            word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                tail.append(word)
        self.vocabulary = list(dict.fromkeys(HEAD_WORDS)) + tail
        # Zipf-like: weight 1/(rank+2.7)^1.07 (Mandelbrot), roughly what English text shows.
        weights = [1.0 / (rank + 2.7) ** 1.07 for rank in range(len(self.vocabulary))]
        self._cum_words = list(itertools.accumulate(weights))
        names = {f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(60_000)}
        # Add made-up surnames so the pool is large and most authors are rare.
        pool = sorted(names)
        while len(pool) < AUTHOR_POOL:
            surname = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
            pool.append(f"{rng.choice(FIRST_NAMES)} {surname}")
        rng.shuffle(pool)
        self.authors = pool
        self._cum_authors = list(
            itertools.accumulate(1.0 / (rank + 5) ** 0.9 for rank in range(len(pool)))
        )
        self.seed = seed

    def _words(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.vocabulary, cum_weights=self._cum_words, k=count)

    def paper(self, number: int, marker: str = "") -> Paper:
        rng = random.Random(self.seed * 1_000_003 + number)
        title_words = self._words(rng, max(3, int(rng.gauss(10, 2.5))))
        title = " ".join(title_words).capitalize()
        if marker:
            title = f"{title} {marker}"
        sentences = []
        remaining = max(60, int(rng.gauss(180, 40)))
        while remaining > 0:
            length = min(remaining, rng.randint(12, 30))
            sentences.append(" ".join(self._words(rng, length)).capitalize() + ".")
            remaining -= length
        abstract = " ".join(sentences)
        authors = tuple(
            dict.fromkeys(
                rng.choices(self.authors, cum_weights=self._cum_authors, k=rng.randint(1, 10))
            )
        )
        published = START_DATE + dt.timedelta(days=rng.randrange(DAYS))
        arxiv_id = f"{published:%y%m}.{number % 100_000:05d}"
        code_url = ""
        if rng.random() < 0.3:
            owner = rng.choice(self.authors).split()[-1].lower()
            code_url = f"https://github.com/{owner}/{title_words[-1].lower()}-{number}"
        return Paper(
            id=f"bench-{number}",
            arxiv_id=arxiv_id,
            title=title,
            authors=authors,
            abstract=abstract,
            published=published.isoformat(),
            updated=published.isoformat(),
            url=arxiv_abs_url(arxiv_id),
            pdf_url=arxiv_pdf_url(arxiv_id),
            code_url=code_url,
            categories=tuple(rng.sample(CATEGORIES, rng.randint(1, 3))),
            upvotes=rng.randint(0, 200) if rng.random() < 0.2 else None,
        )

    def papers(self, start: int, count: int, marker: str = "") -> Iterator[Paper]:
        for number in range(start, start + count):
            yield self.paper(number, marker)

    def batches(self, start: int, count: int, size: int = 1_000) -> Iterator[list[Paper]]:
        for offset in range(start, start + count, size):
            yield list(self.papers(offset, min(size, start + count - offset)))
