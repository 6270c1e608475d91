"""Danish dates: the law's durations (timer, hverdage, måneder, år) as due moments with Danish holidays and summer time, and UTC moments shown in Danish time."""
