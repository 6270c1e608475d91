"""Trivselslinealen: the scale and its zones, what a zone calls for, individual assessments and the saved ones, the modtageteam's deadline, the distriktsmøde, and their charts."""
