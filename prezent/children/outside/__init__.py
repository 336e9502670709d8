"""Children of school age outside school: recorded by the mediator, brought back by re-enrolment."""
