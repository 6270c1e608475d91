"""Methods: the Signs of Safety, ICS and De tre huse worksheets, and the ICS triangle and tragtmodel figures."""
