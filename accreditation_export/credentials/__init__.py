"""
Portable unit credentials: Open Badges 3.0 ``OpenBadgeCredential`` documents (:mod:`.openbadges`, pure) signed
as VC-JWT with joserfc (:mod:`.signing`), and the commands ``keys generate``, ``credentials`` and ``verify``.
"""
