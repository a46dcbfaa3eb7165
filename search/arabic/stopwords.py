"""Arabic stopwords, normalized with the same chain as the text so their variants cannot slip through.

Written for this project: function words, pronouns, particles and reporting verbs frequent enough in
news to carry no meaning for retrieval. Stopwords are dropped from the stemmed field and from the
*required* part of a query; the exact field keeps them so that quoted phrases still match.
"""

from __future__ import annotations

from .normalize import normalize

_RAW = """
في من إلى الى على عن مع أن إن أنه إنه أنها إنها أي أو ثم حتى لقد قد لم لن لا ما ماذا متى كيف أين هل
بل لكن لكنه غير سوى كل بعض أيضا ايضا كما كان كانت يكون تكون كانوا ليس ليست هذا هذه ذلك تلك هؤلاء أولئك
الذي التي الذين اللذين اللتين اللواتي اللاتي هو هي هم هن أنا نحن أنت أنتم أنتن هما له لها لهم لهن به بها بهم
فيه فيها فيهم منه منها منهم عنه عنها عنهم عليه عليها عليهم إليه إليها إليهم وهو وهي وهم وفي ومن وإلى وعلى وعن
ومع وأن وإن وقد ولم ولن ولا وما وكان وكانت وهذا وهذه وذلك والذي والتي والذين إذا اذا إذ لو لولا عند عندما
بين بعد قبل خلال حول دون ضد عبر لدى نحو منذ أمام خلف فوق تحت حيث حين بينما كذلك هناك هنا ثمة أمس اليوم
وقال قال قالت وقالت يقول تقول أكد وأكد أضاف وأضاف وأوضح أوضح وأشار أشار مشيرا مؤكدا موضحا مضيفا
يا أيها إما أما وأما ف و ب ل ك إلا الا وإلا لأن لان كي لكي مما ممن فيما بما عما كلما إنما انما
أكثر اكثر أقل جدا فقط عدة عدد تم يتم وتم التى الى
"""

STOPWORDS: frozenset[str] = frozenset(normalize(w) for w in _RAW.split())


def is_stopword(normalized_token: str) -> bool:
    return normalized_token in STOPWORDS
